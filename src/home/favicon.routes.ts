/**
 * /favicon.ico, asked for by browsers and bookmark tools whatever the page says: the SVG icon of
 * public/img/ (the layout links it too). Mounted before sessions, like the health routes: a
 * request for an icon never opens or touches a session.
 */
import { Router } from 'express';
import path from 'node:path';
import { config } from '../config';
import { publicRoute } from '../core/access';

export const faviconRouter = Router();

const FAVICON = path.join(config.paths.public, 'img', 'favicon.svg');
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

faviconRouter.get('/favicon.ico', publicRoute, (_req, res) => {
  res.type('image/svg+xml').sendFile(FAVICON, { maxAge: THIRTY_DAYS_MS });
});
