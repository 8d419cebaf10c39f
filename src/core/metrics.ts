/**
 * Prometheus metrics (prom-client): one registry for the whole process, the
 * default process metrics (memory, CPU, event-loop delay, GC, handles), the
 * HTTP request histogram filled by `httpMetrics`, and the counters other
 * modules increment. A feature adds its own metric here, next to the others,
 * so that names and labels stay consistent and low in cardinality: never a
 * label from user input (ids, queries, e-mail addresses).
 * Served on /metrics (src/metrics/metrics.routes.ts) when METRICS_TOKEN is set.
 */
import type { Request, RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'ld_' });

export const httpRequestDuration = new Histogram({
  name: 'ld_http_request_duration_seconds',
  help: 'Duration of HTTP requests, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const mailsTotal = new Counter({
  name: 'ld_mails_total',
  help: 'E-mails handed to the SMTP server (result: sent or failed).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const rateLimitHits = new Counter({
  name: 'ld_rate_limit_hits_total',
  help: 'Requests refused by a rate limit, by limit name.',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

/** The route pattern (/contacts/:id), never the raw path: one series per route, not per URL. */
function routeLabel(req: Request, status: number): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.originalUrl.startsWith('/static/')) return '/static';
  return status === 404 ? '(unmatched)' : '(other)';
}

/** Observes every request's duration once its answer is sent. */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpRequestDuration.startTimer();
  res.once('finish', () => {
    end({ method: req.method, route: routeLabel(req, res.statusCode), status: String(res.statusCode) });
  });
  next();
};
