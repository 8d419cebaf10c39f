/**
 * Input validation at the edge. validate() parses query/params and throws a
 * 400 on bad input; validateForm() re-renders the form with status 422, the
 * values as typed and a field → message map (error-summary pattern). The
 * handler reads the parsed result with inputOf(req, schema), typed by the schema.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { invalid, notFound, type FieldErrors } from './errors';

// Every schema gives its own French messages; Zod's defaults (a check someone
// forgot to word, an array where a string was expected) are French too, so
// that no English reaches a form.
z.config(z.locales.fr());

type Source = 'query' | 'body' | 'params';

/** A document id in a path (`/…/:id`): a MongoDB ObjectId's 24 hexadecimal digits. */
export const IdParamsSchema = z.object({
  id: z.string().regex(/^[a-f0-9]{24}$/i, 'Identifiant invalide.'),
});
export type IdParams = z.infer<typeof IdParamsSchema>;

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

/** What validate() and validateForm() parsed for each request, by schema. */
const parsedInputs = new WeakMap<Request, Map<z.ZodType, unknown>>();

function keepInput(req: Request, schema: z.ZodType, data: unknown): void {
  const inputs = parsedInputs.get(req) ?? new Map<z.ZodType, unknown>();
  inputs.set(schema, data);
  parsedInputs.set(req, inputs);
}

/**
 * The result of validate(schema)/validateForm(schema) on this request, typed by
 * the schema. A route may validate several schemas (params, then body): the
 * handler asks for each. Asking for a schema the route's chain did not
 * validate is a bug, not bad input: it throws (a 500), so no handler reads
 * unchecked input.
 */
export function inputOf<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const inputs = parsedInputs.get(req);
  if (!inputs?.has(schema)) throw new Error(`inputOf: the route of ${req.method} ${req.path} does not validate this schema`);
  // Safe: keepInput() stores under each schema only what that schema parsed.
  return inputs.get(schema) as z.output<S>;
}

export interface ValidateOptions {
  /** Invalid input answers this French 404 instead of a 400 (a malformed id in a path names nothing). */
  notFound?: string;
}

/** Parses req[source] with the schema; the handler reads the typed result with inputOf(req, schema). */
export function validate<S extends z.ZodType>(schema: S, source: Source = 'query', options: ValidateOptions = {}): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const parsed = await schema.safeParseAsync(req[source] ?? {});
    if (!parsed.success) {
      if (options.notFound) throw notFound(options.notFound);
      throw invalid('Les paramètres de la demande sont invalides.', fieldErrors(parsed.error));
    }
    keepInput(req, schema, parsed.data);
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
      keepInput(req, schema, parsed.data);
      // Lets the error handler re-render this form when the service rejects the input with field errors.
      res.locals.form = { view, locals, params: { ...req.params } } satisfies PendingForm;
      return next();
    }
    await renderForm(req, res, view, { status: 422, errors: fieldErrors(parsed.error), values: typedValues(req.body), locals });
  };
}
