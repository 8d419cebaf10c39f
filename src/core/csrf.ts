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

/** Rejects POST/PUT/PATCH/DELETE without the session's token with a French 403. */
export const csrfProtection: RequestHandler = (req, res, next) => {
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
