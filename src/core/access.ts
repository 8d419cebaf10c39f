/**
 * Route-level access decisions. Every route's chain starts with exactly one of
 * these middlewares; a test walks the router and fails on a route without one.
 * Finer decisions (région of the target, authorship) live in feature policies
 * called by services.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, unauthenticated } from './errors';
import { type Actor, isActive, isAdmin, isModerator } from './policy';

export const ACCESS = Symbol('access');
export type AccessLevel = 'public' | 'account' | 'member' | 'moderator' | 'admin';
export type AccessMiddleware = RequestHandler & { [ACCESS]: AccessLevel };

function tag(level: AccessLevel, fn: RequestHandler): AccessMiddleware {
  return Object.assign(fn, { [ACCESS]: level });
}

export function currentActor(req: Request): Actor | undefined {
  return req.user;
}

const NOT_ACTIVE = 'Votre compte n’est pas encore actif : cette page est réservée aux membres validés.';

/** Anyone, signed in or not. */
export const publicRoute: AccessMiddleware = tag('public', (_req, _res, next) => next());

/**
 * The signed-in actor, for code behind requireAccount, requireMember,
 * requireModerator or requireAdmin (those guards have already checked it);
 * without one, the same 401 as the guards.
 */
export function requireActor(req: Request): Actor {
  const actor = currentActor(req);
  if (!actor) throw unauthenticated();
  return actor;
}

/** Any signed-in account, whatever its status (e.g. an applicant checking where they stand). */
export const requireAccount: AccessMiddleware = tag('account', (req, _res, next: NextFunction) => {
  requireActor(req);
  next();
});

/** A signed-in, validated member. */
export const requireMember: AccessMiddleware = tag('member', (req, _res: Response, next: NextFunction) => {
  if (!isActive(requireActor(req))) throw forbidden(NOT_ACTIVE, 'account_not_active');
  next();
});

/** A moderator (of some région) or an admin; the target's région is checked by the service. */
export const requireModerator: AccessMiddleware = tag('moderator', (req, _res, next) => {
  if (!isModerator(requireActor(req))) throw forbidden('Cette page est réservée à la modération.');
  next();
});

/** A national administrator. */
export const requireAdmin: AccessMiddleware = tag('admin', (req, _res, next) => {
  if (!isAdmin(requireActor(req))) throw forbidden('Cette page est réservée aux administrateurs.');
  next();
});

export function accessOf(handler: unknown): AccessLevel | undefined {
  return typeof handler === 'function' ? (handler as Partial<AccessMiddleware>)[ACCESS] : undefined;
}
