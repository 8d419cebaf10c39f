/**
 * The last line of the bounded waits: a request that has not answered after
 * REQUEST_DEADLINE_MS gets a French 503 at once, whatever it waits for (a
 * mail server, a dependency without its own deadline). Whatever the handler
 * writes later is dropped. Database and search calls have shorter deadlines
 * of their own (docs/resilience.md), so this rarely fires.
 */
import type { RequestHandler, Response } from 'express';
import { logger } from './logger';

const log = logger('http');
export const REQUEST_DEADLINE_MS = 15_000;

const PAGE = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Service momentanément indisponible – Ligne directe</title><link rel="stylesheet" href="/static/css/app.css"></head>
<body><main id="contenu" class="error-page"><h1>Service momentanément indisponible</h1>
<p>Le service met trop de temps à répondre. Réessayez dans quelques instants : si vous envoyiez un formulaire, vérifiez ensuite s’il a été enregistré avant de le renvoyer.</p>
<p><a href="">Réessayer</a> · <a href="/">Accueil</a></p><p class="muted">Code d’erreur 503</p></main></body></html>`;

/** Makes every later write of the handler a no-op (the answer is already gone). */
function silence(res: Response): void {
  const noop = function (this: Response) {
    return this;
  };
  const methods = ['render', 'send', 'json', 'redirect', 'end', 'write', 'set', 'setHeader', 'status', 'type', 'attachment', 'cookie', 'clearCookie', 'writeHead'] as const;
  Object.assign(res, Object.fromEntries(methods.map((method) => [method, noop])));
}

export function requestDeadline(ms = REQUEST_DEADLINE_MS): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      log.warn({ method: req.method, path: req.path, ms }, 'request deadline reached: answered 503');
      const json = req.accepts(['html', 'json']) === 'json';
      res.status(503).set('Retry-After', '5').set('Cache-Control', 'no-store');
      if (json) res.json({ error: { status: 503, code: 'deadline', message: 'Le service met trop de temps à répondre. Réessayez dans quelques instants.' } });
      else res.type('html').send(PAGE);
      silence(res);
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
