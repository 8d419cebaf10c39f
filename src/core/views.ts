/** express-handlebars setup and the few helpers templates need. */
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { config } from '../config';
import { formatLongDate } from './dates';
import { count, plural } from './plural';

const numberFormat = new Intl.NumberFormat('fr-FR');

export const helpers = {
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  formatDate: (d: unknown) => (d instanceof Date || typeof d === 'string' || typeof d === 'number' ? formatLongDate(d) : ''),
  formatNumber: (n: unknown) => (typeof n === 'number' ? numberFormat.format(n) : ''),
  json: (v: unknown) => JSON.stringify(v),
  includes: (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v),
  /** "selected" when the option's value is the current one (values arrive as strings). */
  selected: (option: unknown, current: unknown) => (String(option) === String(current ?? '') ? 'selected' : ''),
  checked: (option: unknown, current: unknown) =>
    (Array.isArray(current) ? current.map(String).includes(String(option)) : String(option) === String(current ?? '')) ? 'checked' : '',
  /** ids for aria-describedby from a field name and whether it has a hint and an error. */
  describedBy: (name: unknown, hint: unknown, error: unknown) =>
    [hint ? `${String(name)}-hint` : '', error ? `${String(name)}-error` : ''].filter(Boolean).join(' '),
  plural: (n: unknown, one: string, many: string) => plural(Number(n) || 0, one, many),
  count: (n: unknown, one: string, many: string) => count(Number(n) || 0, one, many),
  concat: (...args: unknown[]) => args.slice(0, -1).map((a) => String(a ?? '')).join(''),
};

export function setupViews(app: Express): void {
  app.engine(
    'hbs',
    // express-handlebars' engine returns a promise and also calls Express's callback.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: `${config.paths.views}/layouts`,
      partialsDir: `${config.paths.views}/partials`,
      helpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', config.paths.views);
  if (config.isProduction) app.enable('view cache');
}
