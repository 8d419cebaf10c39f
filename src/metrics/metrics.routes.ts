/**
 * GET /metrics in the Prometheus text format, for a scraper holding
 * METRICS_TOKEN (Authorization: Bearer …). Without METRICS_TOKEN the route
 * does not exist (404), so a deployment exposes nothing by default.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { config } from '../config';
import { publicRoute } from '../core/access';
import { metricsRegistry } from '../core/metrics';

export const metricsRouter = Router();

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Public as far as sessions go: the bearer token is the access decision. */
const requireMetricsToken: RequestHandler = (req, res, next) => {
  const expected = config.metrics.token;
  // No token configured: no such page (the app's ordinary 404).
  if (!expected) return next('router');
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
  if (!sameToken(given, expected)) {
    // Plain text for a scraper, not the sign-in redirect pages get.
    return void res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('Jeton manquant ou invalide.\n');
  }
  next();
};

metricsRouter.get('/metrics', publicRoute, requireMetricsToken, async (_req, res) => {
  const body = await metricsRegistry.metrics();
  res.set('Cache-Control', 'no-store').type(metricsRegistry.contentType).send(body);
});
