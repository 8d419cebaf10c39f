/**
 * « Mes contacts »: a member's own list of cards, its page, print view and
 * exports, and the opt-in weekly alert. One document per member read by `_id`,
 * the cards then loaded by `_id` (docs/my-contacts.md). Only cards the member
 * may see now are shown or exported: a card restricted, objected to, erased,
 * archived or otherwise out of the directory is left out, whatever the list holds.
 */
import { Types } from 'mongoose';
import type { AgencyDoc } from '../agencies/agency.model';
import type { ContactDoc } from '../contacts/contact.model';
import { contactsWithAgencies, getContact } from '../contacts/contacts.service';
import { contactPolicy } from '../contacts/contacts.policy';
import { AppError, notFound } from '../core/errors';
import { addToSets, idsInSets, removeFromSets } from '../core/lookup';
import type { Actor } from '../core/policy';
import { recordSecurityEvent } from '../security/security-log';
import { DATA_QUALITY_KINDS } from '../signals/signals.types';
import { listOpenReports } from '../signals/signals.service';
import { ALERTS_KEY, MY_CONTACTS_CAP, MyContacts, type MyContactEntry, type MyContactsDoc, type SeenCard } from './my-contacts.model';

export const MESSAGES = {
  full: `Votre liste compte déjà ${MY_CONTACTS_CAP} contacts, le maximum. Retirez-en un que vous n’appelez plus pour en ajouter un autre.`,
  notListable: 'Ce contact ne peut pas être ajouté à vos contacts : il n’est pas (ou plus) publié dans l’annuaire.',
  busy: 'Votre liste vient d’être modifiée ailleurs. Réessayez dans un instant.',
};

/** The states a card may be in to stay in a member's list: published ones, doubtful or not. Restricted ones leave it. */
const LISTED_STATES: readonly string[] = ['published', 'needs_check'];

/** Whether a card belongs in the member's list now: visible to them, published, and never objected to by its agent (an objection wins). */
export function isListable(actor: Actor, contact: ContactDoc, agency?: AgencyDoc): boolean {
  return !!agency && agency.status === 'active' && contactPolicy.view(actor, contact) && LISTED_STATES.includes(contact.state) && !contact.objectedAt;
}

/** Open reports saying the line does not work (no answer, wrong number, person left), read by `_id` from the card's list. */
export async function dataQualityReports(contact: ContactDoc): Promise<number> {
  if (!contact.openReportIds?.length) return 0;
  return (await listOpenReports(contact)).filter((r) => (DATA_QUALITY_KINDS as readonly string[]).includes(r.kind)).length;
}

/** What the member sees of a card today, kept with the entry for the weekly alert. */
export function seenOf(contact: ContactDoc, dataQualityReports = 0): SeenCard {
  return {
    phones: contact.phones.map((p) => p.e164).sort(),
    state: contact.state,
    phonesMasked: !!contact.phonesMasked,
    openReports: dataQualityReports,
  };
}

async function loadList(memberId: string): Promise<MyContactsDoc | null> {
  const doc = await MyContacts.findById(memberId).lean<MyContactsDoc>();
  return doc && { ...doc, entries: doc.entries ?? [], version: doc.version ?? 0 };
}

/**
 * Applies `change` to the member's list as read, on the condition that nobody wrote it in
 * between (`version`): one `_id` compare-and-set, retried a few times. Creates the document first.
 */
async function updateList(memberId: string, change: (doc: MyContactsDoc) => Record<string, unknown> | undefined): Promise<MyContactsDoc> {
  const _id = new Types.ObjectId(memberId);
  for (let attempt = 0; attempt < 5; attempt++) {
    let doc = await loadList(memberId);
    if (!doc) {
      await MyContacts.updateOne({ _id }, { $setOnInsert: { entries: [], alerts: false, version: 0 } }, { upsert: true }).catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err;
      });
      doc = (await loadList(memberId))!;
    }
    const set = change(doc);
    if (!set) return doc;
    const res = await MyContacts.updateOne({ _id, version: doc.version ?? 0 }, { $set: set, $inc: { version: 1 } });
    if (res.modifiedCount === 1) return { ...doc, ...set, version: (doc.version ?? 0) + 1 } as MyContactsDoc;
  }
  throw new AppError(409, 'my_contacts_busy', MESSAGES.busy);
}

/** The ids in the member's list (one `_id` read), to mark search results and contact pages. */
export async function myContactIds(actor: Actor): Promise<Set<string>> {
  const doc = await loadList(actor.id);
  return new Set((doc?.entries ?? []).map((e) => String(e.contactId)));
}

/** Adds a card the member may see and that is published; idempotent; refused past the cap. Returns the list's size. */
export async function addMyContact(actor: Actor, contactId: string, now = new Date()): Promise<{ count: number }> {
  const { contact, agency } = await getContact(actor, contactId);
  if (!isListable(actor, contact, agency)) throw new AppError(422, 'my_contacts_not_listable', MESSAGES.notListable);
  const seen = seenOf(contact, await dataQualityReports(contact));
  const doc = await updateList(actor.id, (d) => {
    if (d.entries.some((e) => e.contactId.equals(contact._id))) return undefined;
    if (d.entries.length >= MY_CONTACTS_CAP) throw new AppError(422, 'my_contacts_full', MESSAGES.full);
    const entry: MyContactEntry = { contactId: contact._id, addedAt: now, seen };
    return { entries: [...d.entries, entry] };
  });
  return { count: doc.entries.length };
}

/** Takes a card out of the member's list (nothing happens when it is not in it). */
export async function removeMyContact(actor: Actor, contactId: string): Promise<{ count: number }> {
  if (!Types.ObjectId.isValid(contactId)) throw notFound('Ce contact n’est pas dans votre liste.');
  const doc = await updateList(actor.id, (d) => {
    const kept = d.entries.filter((e) => String(e.contactId) !== contactId);
    return kept.length === d.entries.length ? undefined : { entries: kept };
  });
  return { count: doc.entries.length };
}

export interface MyContactItem {
  contact: ContactDoc;
  agency: AgencyDoc;
  entry: MyContactEntry;
}

/** The cards of the member's list they may see now, in the order they were added; the others are left out. */
export async function listMyContacts(actor: Actor): Promise<{ items: MyContactItem[]; held: number; alerts: boolean }> {
  const doc = await loadList(actor.id);
  const entries = doc?.entries ?? [];
  const found = entries.length ? await contactsWithAgencies(entries.map((e) => e.contactId)) : [];
  const byId = new Map(found.map((f) => [String(f.contact._id), f]));
  const items: MyContactItem[] = [];
  for (const entry of entries) {
    const f = byId.get(String(entry.contactId));
    if (f && isListable(actor, f.contact, f.agency)) items.push({ contact: f.contact, agency: f.agency!, entry });
  }
  return { items, held: entries.length, alerts: !!doc?.alerts };
}

export type ExportFormat = 'vcard' | 'csv';

/** The visible cards of the list for an export (at most the list's cap), written to the security log. */
export async function exportMyContacts(actor: Actor, format: ExportFormat, ip?: string): Promise<MyContactItem[]> {
  const { items } = await listMyContacts(actor);
  const exported = items.slice(0, MY_CONTACTS_CAP);
  await recordSecurityEvent('my_contacts_exported', { memberId: actor.id, actorId: actor.id, ip, detail: `${format}:${exported.length}` });
  return exported;
}

/** Whether the member asked for the weekly alert. */
export async function alertsEnabled(actor: Actor): Promise<boolean> {
  return !!(await loadList(actor.id))?.alerts;
}

/**
 * Turns the weekly alert on or off. The member joins (or leaves) the keyed set the job
 * reads; the set is written first, so a crash leaves an extra id the job skips, never a
 * member who asked and gets nothing. The first alert comes a week after it is turned on.
 */
export async function setAlerts(actor: Actor, on: boolean, now = new Date()): Promise<void> {
  const id = new Types.ObjectId(actor.id);
  if (on) await addToSets([ALERTS_KEY], id);
  await updateList(actor.id, (d) => (!!d.alerts === on ? undefined : { alerts: on, ...(on ? { lastDigestAt: now } : {}) }));
  if (!on) await removeFromSets([ALERTS_KEY], id);
}

/** The lists of the members who asked for the alert, 200 at a time, by `_id` (for the weekly job). */
export async function* listsWithAlerts(chunk = 200): AsyncGenerator<MyContactsDoc> {
  const ids = await idsInSets([ALERTS_KEY], 1_000_000);
  for (let i = 0; i < ids.length; i += chunk) {
    const docs = await MyContacts.find({ _id: { $in: ids.slice(i, i + chunk) } }).lean<MyContactsDoc[]>();
    for (const d of docs) yield d;
  }
}

/** Records what the alert told the member (each entry's new `seen`) and when; entries added or removed meanwhile are kept as they are. */
export async function recordDigest(memberId: string, seenById: Map<string, SeenCard>, now: Date): Promise<void> {
  await updateList(memberId, (d) => ({
    entries: d.entries.map((e) => ({ ...e, seen: seenById.get(String(e.contactId)) ?? e.seen })),
    lastDigestAt: now,
  }));
}

/** Forgets the list of an account that is gone or no longer active (the job's clean-up). */
export async function dropAlerts(memberId: string): Promise<void> {
  const id = new Types.ObjectId(memberId);
  await MyContacts.updateOne({ _id: id }, { $set: { alerts: false } });
  await removeFromSets([ALERTS_KEY], id);
}

/** Deletes a member's list and takes them out of the alert set (account deletion). */
export async function forgetMyContacts(memberId: string): Promise<void> {
  const id = new Types.ObjectId(memberId);
  await removeFromSets([ALERTS_KEY], id);
  await MyContacts.deleteOne({ _id: id });
}

/** What the account's own data export holds of the list: which cards and when, and the alert setting (no card data). */
export async function myContactsOfAccount(actor: Actor): Promise<{ alerts: boolean; entries: Array<{ contactId: string; addedAt: Date }> }> {
  const doc = await loadList(actor.id);
  return { alerts: !!doc?.alerts, entries: (doc?.entries ?? []).map((e) => ({ contactId: String(e.contactId), addedAt: e.addedAt })) };
}
