/** Thin adapters for « Mes contacts »: the page, its print view, the two exports, the buttons and the alert setting. */
import type { Request, RequestHandler } from 'express';
import { AppError } from '../core/errors';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { IdParamsSchema, inputOf } from '../core/validate';
import { getThresholds } from '../settings/thresholds';
import { presentMyContacts, toMultiVCard, toMyContactsCsv } from './my-contacts.presenter';
import { AlertsSchema } from './my-contacts.schemas';
import * as myContacts from './my-contacts.service';

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

export const MY_CONTACTS_PATH = '/mes-contacts';

/**
 * Where a button sends the member back without JavaScript: the search, a contact page, the
 * list or the account page, as a same-site path only (the value comes from a form field).
 */
export function returnPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 1000 || /[\\\s]/.test(value) || !value.startsWith('/') || value.startsWith('//')) return fallback;
  const url = new URL(value, 'http://same.invalid');
  if (url.origin !== 'http://same.invalid') return fallback;
  const allowed = url.pathname === '/recherche' || url.pathname === MY_CONTACTS_PATH || url.pathname === '/compte' || /^\/contacts\/[0-9a-f]{24}$/i.test(url.pathname);
  return allowed ? `${url.pathname}${url.search}` : fallback;
}

async function listLocals(req: Request) {
  const actor = requireActor(req);
  const [{ items, held, alerts }, thresholds] = await Promise.all([myContacts.listMyContacts(actor), getThresholds()]);
  return presentMyContacts(items, actor, { threshold: thresholds.minVotesShown, held, alerts });
}

export const show: RequestHandler = async (req, res) => {
  res.render('my-contacts/index', { title: 'Mes contacts', myContacts: await listLocals(req) });
};

export const print: RequestHandler = async (req, res) => {
  res.render('my-contacts/print', { title: 'Mes contacts – impression', layout: 'print', myContacts: await listLocals(req), printedOn: new Date() });
};

const exportName = (ext: string) => `mes-contacts-${new Date().toISOString().slice(0, 10)}.${ext}`;

export const exportVCard: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const items = await myContacts.exportMyContacts(actor, 'vcard', req.ip);
  res.set('Content-Disposition', `attachment; filename="${exportName('vcf')}"`).set('Cache-Control', 'no-store');
  res.type('text/vcard; charset=utf-8').send(toMultiVCard(items, actor));
};

export const exportCsv: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const items = await myContacts.exportMyContacts(actor, 'csv', req.ip);
  res.set('Content-Disposition', `attachment; filename="${exportName('csv')}"`).set('Cache-Control', 'no-store');
  res.type('text/csv; charset=utf-8').send(toMyContactsCsv(items, actor));
};

const ADDED = 'Ajouté à vos contacts.';
const REMOVED = 'Retiré de vos contacts.';

export const add: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const back = returnPath((req.body as { retour?: unknown } | undefined)?.retour, `/contacts/${id}`);
  try {
    const { count } = await myContacts.addMyContact(requireActor(req), id);
    if (wantsJson(req)) return void res.json({ inMyContacts: true, count, message: ADDED });
    flash(req, 'success', ADDED);
  } catch (err) {
    // A full list is a message on the page the member came from, not an error page.
    if (!(err instanceof AppError) || err.code !== 'my_contacts_full' || wantsJson(req)) throw err;
    flash(req, 'error', err.message);
  }
  res.redirect(303, back);
};

export const remove: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const { count } = await myContacts.removeMyContact(requireActor(req), id);
  if (wantsJson(req)) return void res.json({ inMyContacts: false, count, message: REMOVED });
  flash(req, 'success', REMOVED);
  res.redirect(303, returnPath((req.body as { retour?: unknown } | undefined)?.retour, MY_CONTACTS_PATH));
};

export const setAlerts: RequestHandler = async (req, res) => {
  const { alerts, retour } = inputOf(req, AlertsSchema);
  await myContacts.setAlerts(requireActor(req), alerts === 'oui');
  flash(
    req,
    'success',
    alerts === 'oui'
      ? 'C’est noté : vous recevrez chaque semaine un e-mail si l’un de vos contacts change de numéro, est signalé, devient à vérifier ou n’est plus listé (rien quand rien ne change).'
      : 'C’est noté : vous ne recevrez plus d’e-mail sur vos contacts.',
  );
  res.redirect(303, returnPath(retour, MY_CONTACTS_PATH));
};
