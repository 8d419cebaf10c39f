/** Gives each request an id (echoed as X-Request-Id) and logs one line when it ends. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logger } from './logger';
import { runWithContext } from './request-context';

const log = logger('http');

export const requestContext: RequestHandler = (req, res, next) => {
  const requestId = randomUUID();
  req.requestId = requestId;
  res.set('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  runWithContext({ requestId }, () => {
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: query strings may hold what a member typed.
      log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
};
