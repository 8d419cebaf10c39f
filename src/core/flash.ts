/** One-shot messages carried in the session across a redirect (Post/Redirect/Get). */
import type { Request, RequestHandler, Response } from 'express';

export type FlashType = 'success' | 'info' | 'warning' | 'error';
interface FlashMessage {
  type: FlashType;
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

export function flash(req: Request, type: FlashType, message: string): void {
  if (!req.session) return;
  req.session.flash = [...(req.session.flash ?? []), { type, message }];
  saveBeforeRedirect(req);
}

const HELD = Symbol('redirect held until the session is saved');

/**
 * express-session saves a modified session at the end of the response, but it
 * sends the headers first: a browser follows a 303 as soon as its headers
 * arrive, and the next page could load the session before the message is in
 * it (the message then shows one page late). So a response that carries a
 * flash message saves the session before its redirect leaves.
 */
function saveBeforeRedirect(req: Request): void {
  const res = req.res as (Response & { [HELD]?: true }) | undefined;
  if (!res || res[HELD]) return;
  res[HELD] = true;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    req.session.save((err) => (err ? req.next?.(err) : redirect(...args)));
  }) as Response['redirect'];
}

/** Moves pending messages to res.locals.flash for the page being rendered. */
export const flashLocals: RequestHandler = (req, res, next) => {
  const pending = req.session?.flash;
  if (pending?.length) {
    res.locals.flash = pending;
    delete req.session.flash;
  }
  next();
};
