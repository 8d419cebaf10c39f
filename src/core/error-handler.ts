/**
 * The single translator from errors to responses: an AppError renders its
 * French page (or JSON), known library errors are mapped to 4xx/503, anything
 * else is logged with its stack and becomes a generic 500.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { config } from '../config';
import { AppError, notFound } from './errors';
import { logger } from './logger';
import { type PendingForm, renderForm, typedValues } from './validate';

const log = logger('http');

const TITLES: Record<number, string> = {
  400: 'Demande invalide',
  401: 'Connexion nécessaire',
  403: 'Accès refusé',
  404: 'Page introuvable',
  405: 'Action impossible',
  409: 'Conflit',
  413: 'Envoi trop volumineux',
  415: 'Format non pris en charge',
  422: 'Informations à corriger',
  429: 'Trop de tentatives',
  500: 'Erreur inattendue',
  503: 'Service momentanément indisponible',
};

const MONGO_DOWN = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongooseServerSelectionError',
]);

const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError } = mongoose.mongo;

/**
 * Socket errors the MongoDB driver (7.x) lets through unwrapped when the
 * server closes a connection in the middle of a command (seen when the
 * database stops during traffic: "This socket has been ended by the other
 * party", code EPIPE). Only those raised inside the driver count.
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_DESTROYED']);
const DRIVER_FRAME = /[\\/]node_modules[\\/]mongodb[\\/]/;

function isDatabaseDown(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (
      e instanceof MongoNetworkError ||
      e instanceof MongoServerSelectionError ||
      e instanceof MongoNotConnectedError ||
      e instanceof MongoTopologyClosedError
    )
      return true;
    if (MONGO_DOWN.has(e.name)) return true;
    const code = (e as NodeJS.ErrnoException).code;
    if (code && SOCKET_CODES.has(code) && DRIVER_FRAME.test(e.stack ?? '')) return true;
    if (e.name === 'MongooseError' && /buffering timed out|before initial connection/i.test(e.message)) return true;
  }
  return false;
}

/** Maps any thrown value to an AppError (operational) or undefined (a bug). */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof mongoose.Error.CastError) return notFound();
  if (isDatabaseDown(err)) {
    return new AppError(
      503,
      'database_unavailable',
      'La base de données ne répond pas pour le moment. Réessayez dans quelques instants. Si vous envoyiez un formulaire, il a pu être enregistré en partie : ce qui manque est complété automatiquement dans les minutes qui suivent, vérifiez avant de le renvoyer.',
    );
  }
  const e = err as { type?: string; status?: number; statusCode?: number; code?: number };
  if (e?.type === 'entity.too.large') return new AppError(413, 'too_large', 'Les informations envoyées sont trop volumineuses.');
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'bad_body', 'Les informations envoyées sont illisibles.');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    return new AppError(415, 'bad_encoding', 'Encodage non pris en charge : envoyez le formulaire en UTF-8.');
  }
  if (e?.code === 11000) return new AppError(409, 'duplicate', 'Cet élément existe déjà.');
  if (err instanceof URIError) return new AppError(400, 'bad_uri', 'Adresse de page invalide.');
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'http_error', TITLES[status] ?? 'Demande invalide.');
  }
  return undefined;
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const status = appError?.status ?? 500;
  if (!appError) log.error({ err, path: req.path }, 'unhandled error');
  else if (status === 503) log.warn({ code: appError.code, path: req.path }, 'dependency unavailable');
  if (res.headersSent) return void res.end();

  if (status === 401 && req.method === 'GET' && !wantsJson(req)) {
    return res.redirect(303, `/connexion?retour=${encodeURIComponent(req.originalUrl)}`);
  }
  const form = res.locals.form as PendingForm | undefined;
  if (appError?.fields && form && status < 500) {
    req.params = form.params;
    return void renderForm(req, res, form.view, {
      status,
      errors: appError.fields,
      values: typedValues(req.body),
      locals: form.locals,
      extra: { problem: appError.message, ...appError.details },
    }).catch((renderErr) => {
      log.error({ err: renderErr }, 'form failed to re-render');
      res.status(500).type('text/plain; charset=utf-8').send('Erreur inattendue.');
    });
  }
  const message = appError?.expose ? appError.message : 'Une erreur inattendue s’est produite. L’équipe technique a été prévenue ; réessayez dans un instant.';
  res.status(status);
  if (status === 503) res.set('Retry-After', '5');
  if (wantsJson(req)) return res.json({ error: { status, code: appError?.code ?? 'internal', message } });
  const details = appError?.expose ? (appError.details as { title?: string; paragraphs?: string[] } | undefined) : undefined;
  res.render(
    'errors/error',
    {
      title: details?.title ?? TITLES[status] ?? 'Erreur',
      status,
      message,
      paragraphs: details?.paragraphs,
      stack: !appError && config.isDevelopment ? String((err as Error)?.stack ?? err) : undefined,
    },
    (renderErr: Error | null, html?: string) => {
      if (renderErr) {
        log.error({ err: renderErr }, 'error page failed to render');
        return res.type('text/plain; charset=utf-8').send(`${TITLES[status] ?? 'Erreur'} : ${message}`);
      }
      res.send(html);
    },
  );
};
