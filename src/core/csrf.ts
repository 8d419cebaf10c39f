/**
 * Synchroniser-token CSRF protection (csrf-sync): the token lives in the
 * session and every state-changing form posts it back in `_csrf`.
 */
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from './errors';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : req.get('x-csrf-token')),
});

/** Paths whose multipart body (and so its token) is read by the route's own upload parser. */
const afterUpload = new Set<string>();

/** Rejects POST/PUT/PATCH/DELETE without the session's token with a French 403. */
export const csrfProtection: RequestHandler = (req, res, next) => {
  // Deferred, not skipped: the route checks the token right after parsing (csrfAfterUpload).
  if (req.method === 'POST' && afterUpload.has(req.path) && req.is('multipart/form-data') && !res.locals.uploadParsed) return next();
  check(req, res, next);
};

/**
 * The check of a multipart form's token, placed in its route's chain right after the upload parser
 * (which parses in memory with size caps, after the route's access decision). Registers the path
 * so the app-wide check leaves that one request to it.
 */
export function csrfAfterUpload(path: string): RequestHandler {
  afterUpload.add(path);
  return (req, res, next) => {
    res.locals.uploadParsed = true;
    check(req, res, next);
  };
}

const check: RequestHandler = (req, res, next) => {
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) {
      return next(new AppError(403, 'csrf', 'Ce formulaire a expiré ou ne vient pas de Ligne directe. Rechargez la page et envoyez-le à nouveau.'));
    }
    next();
  });
};

/** Exposes the token to every view (reused while the session lives). */
export const csrfLocals: RequestHandler = (req, res, next) => {
  if (req.session) res.locals.csrfToken = generateToken(req);
  next();
};
