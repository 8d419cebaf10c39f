/** Security headers: strict CSP without inline script, no framing, no indexing. */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { config } from '../config';

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'"],
          'style-src-attr': ["'none'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
          ...(config.isProduction ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    }),
    (_req, res, next) => {
      res.set('X-Robots-Tag', 'noindex, nofollow, noarchive');
      res.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
      next();
    },
  ];
}
