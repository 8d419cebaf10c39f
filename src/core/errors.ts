/**
 * One operational error class and its factories. Anything thrown that is not
 * an AppError is a bug and becomes a generic 500 page.
 */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  /** Extra data for the page that shows the error (e.g. the duplicates found). */
  details?: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly expose = true,
  ) {
    super(message);
    this.name = 'AppError';
  }

  withDetails(details: Record<string, unknown>): this {
    this.details = details;
    return this;
  }
}

export const notFound = (message = 'Cette page n’existe pas ou plus.', code = 'not_found') => new AppError(404, code, message);

export const forbidden = (message = 'Vous n’avez pas accès à cette page.', code = 'forbidden') => new AppError(403, code, message);

export const unauthenticated = (message = 'Connectez-vous pour accéder à cette page.') => new AppError(401, 'unauthenticated', message);

export const invalid = (message = 'La demande contient des informations invalides.', fields?: FieldErrors, code = 'invalid') =>
  new AppError(400, code, message, fields);

export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);

/** For batch jobs: a conflict means somebody else changed the document first; skip it, rethrow anything else. */
export function skipConflict(err: unknown): undefined {
  if (err instanceof AppError && err.status === 409) return undefined;
  throw err;
}

export const tooMany = (message: string, code = 'rate_limited') => new AppError(429, code, message);

export const unavailable = (message = 'Le service est momentanément indisponible. Réessayez dans quelques instants.', code = 'unavailable') =>
  new AppError(503, code, message);
