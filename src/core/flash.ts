/** One-shot messages carried in the session across a redirect (Post/Redirect/Get). */
import type { Request, RequestHandler } from 'express';

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
