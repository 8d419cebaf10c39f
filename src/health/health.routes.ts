import { Router } from 'express';
import { publicRoute } from '../core/access';
import { checkHealth, checkReadiness } from './health.service';

export const healthRouter = Router();

/** Database and search both answer (200), or not (503): for monitoring. */
healthRouter.get('/health', publicRoute, async (_req, res) => {
  const report = await checkHealth();
  res.set('Cache-Control', 'no-store').status(report.status === 'ok' ? 200 : 503).json(report);
});

/** The process answers: for a liveness probe (restart the app when it fails). */
healthRouter.get('/health/live', publicRoute, (_req, res) => {
  res.set('Cache-Control', 'no-store').json({ status: 'live' });
});

/** The app can serve (the database answers): for a readiness probe (send traffic when it passes). */
healthRouter.get('/health/ready', publicRoute, async (_req, res) => {
  const report = await checkReadiness();
  res.set('Cache-Control', 'no-store').status(report.status === 'ready' ? 200 : 503).json(report);
});
