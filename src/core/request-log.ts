/**
 * Gives each request an id (echoed as X-Request-Id) and logs one line when it
 * ends. Behind a trusted proxy (TRUST_PROXY), the proxy's X-Request-Id is
 * kept when it is well formed, so one id follows a request across both logs.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { logger } from './logger';
import { currentContext, runWithContext } from './request-context';

const log = logger('http');

/** Letters, digits and . _ : - only, 64 at most (what the audit log stores): nothing to inject into a log line. */
export const REQUEST_ID_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The proxy's id when Express trusts proxies ('trust proxy', from TRUST_PROXY) and the id is well formed. */
function incomingRequestId(req: Request): string | undefined {
  if (!req.app.get('trust proxy')) return undefined;
  const given = req.get('x-request-id');
  return given && REQUEST_ID_FORMAT.test(given) ? given : undefined;
}

export const requestContext: RequestHandler = (req, res, next) => {
  const requestId = incomingRequestId(req) ?? randomUUID();
  req.requestId = requestId;
  res.set('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  const ctx = { requestId } as { requestId: string; actorId?: string };
  runWithContext(ctx, () => {
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: query strings may hold what a member typed.
      log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, actorId: ctx.actorId }, 'request');
    });
    next();
  });
};

/** Records the signed-in account in the request context (after passport.session()), so later log lines carry it. */
export const actorContext: RequestHandler = (req, _res, next) => {
  const ctx = currentContext();
  if (ctx && req.user) ctx.actorId = req.user.id;
  next();
};
