/**
 * Input validation at the edge. validate() parses query/params and throws a
 * 400 on bad input; validateForm() re-renders the form with status 422, the
 * values as typed and a field → message map (error-summary pattern).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { invalid, type FieldErrors } from './errors';

// Every schema gives its own French messages; Zod's defaults (a check someone
// forgot to word, an array where a string was expected) are French too, so
// that no English reaches a form.
z.config(z.locales.fr());

type Source = 'query' | 'body' | 'params';

/** Turns Zod issues into one French message per field (first issue wins). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/** Keeps only string (or string array) values, so a re-rendered form never echoes objects. */
export function typedValues(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || /password/i.test(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** Parses req[source] with the schema and stores the typed result on req.input. */
export function validate<S extends z.ZodType>(schema: S, source: Source = 'query'): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const parsed = await schema.safeParseAsync(req[source] ?? {});
    if (!parsed.success) throw invalid('Les paramètres de la demande sont invalides.', fieldErrors(parsed.error));
    // Several validate() calls (params, then query) add up.
    req.input = { ...(req.input as object | undefined), ...(parsed.data as object) };
    next();
  };
}

export interface PendingForm {
  view: string;
  locals?: FormLocals;
  /** The route's params: error middleware runs outside the route, where req.params is empty. */
  params: Request["params"];
}

export type FormLocals = (req: Request, res: Response) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** Renders a form view with values, errors and the view's own locals. */
export async function renderForm(
  req: Request,
  res: Response,
  view: string,
  opts: { status?: number; errors?: FieldErrors; values?: Record<string, unknown>; locals?: FormLocals; extra?: Record<string, unknown> },
): Promise<void> {
  const errors = opts.errors ?? {};
  // A service may word the summary's lines itself (the confidentiality screen names what it recognised).
  const summary = (opts.extra?.errorSummary as Array<{ field: string; message: string }> | undefined) ??
    Object.entries(errors).map(([field, message]) => ({ field, message }));
  const locals = opts.locals ? await opts.locals(req, res) : {};
  res.status(opts.status ?? 200).render(view, {
    ...locals,
    ...opts.extra,
    values: opts.values ?? {},
    errors,
    errorSummary: summary,
  });
}

/** Validates a form body; on failure re-renders `view` with 422 and keeps what was typed. */
export function validateForm<S extends z.ZodType>(schema: S, view: string, locals?: FormLocals): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const parsed = await schema.safeParseAsync(req.body ?? {});
    if (parsed.success) {
      req.input = { ...(req.input as object | undefined), ...(parsed.data as object) };
      // Lets the error handler re-render this form when the service rejects the input with field errors.
      res.locals.form = { view, locals, params: { ...req.params } } satisfies PendingForm;
      return next();
    }
    await renderForm(req, res, view, { status: 422, errors: fieldErrors(parsed.error), values: typedValues(req.body), locals });
  };
}
