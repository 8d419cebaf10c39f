/**
 * The demo moderation queue: the demo cards in review, a few suggested edits and a few reports,
 * each with its queue item, written through the services the app uses (enqueueReview,
 * suggestEdit, reportContact), so the queue reads as it would after real use: normal titles, one
 * screening flag (a civility and a name in an edit's tips) shown first, nothing left for the
 * repair jobs (src/moderation/digest.ts, src/jobs/repair.ts). Idempotent: what already waits is
 * left alone.
 */
import { Agency, type AgencyDoc } from '../src/agencies/agency.model';
import { Contact, type ContactDoc } from '../src/contacts/contact.model';
import { contactFormValues } from '../src/contacts/contacts.presenter';
import { SuggestEditSchema } from '../src/contacts/contacts.schemas';
import { enqueueReview, getContact, suggestEdit } from '../src/contacts/contacts.service';
import { foldKey } from '../src/core/text';
import { findOpenItem, openKeyOf } from '../src/inbox/queue';
import { Member, type MemberDoc } from '../src/members/member.model';
import { toActor } from '../src/members/members.presenter';
import { Report, type ReportKind } from '../src/signals/signal.models';
import { reportContact } from '../src/signals/signals.service';
import { DEMO_AGENCIES } from './agencies';

/** A published demo card, named by its agency and its service. */
type CardRef = { agency: string; service: string };

/** Suggested edits: the first one's tips name someone after a civility, so the screening flags it. */
export const DEMO_EDITS: ReadonlyArray<CardRef & { by: string; set: { tips?: string; hours?: string }; note: string }> = [
  {
    agency: 'CAF de Loire-Atlantique',
    service: 'Ligne partenaires (travailleurs sociaux)',
    by: 'membre@demo.test',
    set: { tips: "Demander Mme Durand à l'accueil : elle rappelle les partenaires dans la journée." },
    note: 'Conseil donné par l’accueil lors de mon dernier appel.',
  },
  {
    agency: 'CPAM de Loire-Atlantique',
    service: 'Mission accompagnement santé',
    by: 'moderateur.11@demo.test',
    set: { hours: 'Lun–ven 8h30–12h et 13h30–16h' },
    note: 'Nouveaux horaires annoncés sur le répondeur.',
  },
];

/** Reports by members who cannot decide them (a reporter never decides their own report). */
export const DEMO_REPORTS: ReadonlyArray<CardRef & { by: string; kind: ReportKind }> = [
  { agency: 'CPAM de la Seine-Saint-Denis', service: 'Mission accompagnement santé', by: 'membre@demo.test', kind: 'no_answer' },
  { agency: 'CCAS de Nantes', service: 'Domiciliation', by: 'moderateur.11@demo.test', kind: 'wrong_number' },
];

async function findCard(ref: CardRef): Promise<ContactDoc> {
  const agency = await Agency.findOne({ nameKey: foldKey(ref.agency) }, { _id: 1 }).lean<Pick<AgencyDoc, '_id'>>();
  const card = agency ? await Contact.findOne({ agencyId: agency._id, service: ref.service }).lean<ContactDoc>() : null;
  if (!card) throw new Error(`Fiche de démonstration absente : ${ref.agency} – ${ref.service}`);
  return card;
}

async function actorOf(email: string) {
  const member = await Member.findOne({ email }).lean<MemberDoc>();
  if (!member) throw new Error(`Compte de démonstration absent : ${email}`);
  return toActor(member);
}

/**
 * Queues the demo cards in review that wait without an item, then makes the demo edits and reports
 * that are not already waiting. Run after the contacts and the keyed sets (rebuildDirectoryKeys).
 * Returns the number of open items it created.
 */
export async function seedDemoQueue(): Promise<number> {
  let created = 0;
  const agencies = await Agency.find({ nameKey: { $in: [...new Set(DEMO_AGENCIES.map((a) => foldKey(a.name)))] } }, { _id: 1 }).lean<Array<Pick<AgencyDoc, '_id'>>>();
  for (const card of await Contact.find({ agencyId: { $in: agencies.map((a) => a._id) }, state: 'pending' }).lean<ContactDoc[]>()) {
    if (await findOpenItem(openKeyOf('contact', card._id))) continue;
    await enqueueReview(card);
    created++;
  }
  for (const edit of DEMO_EDITS) {
    const card = await findCard(edit);
    const actor = await actorOf(edit.by);
    if ((await getContact(actor, String(card._id))).pendingRevision) continue;
    const input = SuggestEditSchema.parse({ ...contactFormValues(card), ...edit.set, note: edit.note });
    await suggestEdit(actor, String(card._id), input);
    created++;
  }
  for (const report of DEMO_REPORTS) {
    const card = await findCard(report);
    const actor = await actorOf(report.by);
    if (await Report.exists({ contactId: card._id, memberId: actor.id, status: 'open' })) continue;
    await reportContact(actor, String(card._id), { kind: report.kind });
    created++;
  }
  return created;
}
