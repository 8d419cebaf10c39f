import { Router } from 'express';
import { publicRoute } from '../core/access';
import { checkHealth } from './health.service';

export const healthRouter = Router();

healthRouter.get('/health', publicRoute, async (_req, res) => {
  const report = await checkHealth();
  res.set('Cache-Control', 'no-store').status(report.status === 'ok' ? 200 : 503).json(report);
});
