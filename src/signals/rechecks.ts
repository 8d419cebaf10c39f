/**
 * Members who added a card are asked first (docs/calls-and-rechecks.md): when
 * their card turns « à vérifier » (the freshness job, or colleagues' calls
 * finding the number wrong), its author gets one e-mail asking to re-check
 * it, and the moderators' item waits `recheckGraceDays` unless the author
 * confirms meanwhile. An author who left or is suspended is not asked: the
 * item opens at once. One e-mail per episode: the episode is the card's
 * `needsCheckSince`, and its document (`recheck:<card>`) is inserted once.
 */
import { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { changeState, updateContact } from '../contacts/contact-store';
import { contactLabel } from '../contacts/contact-states';
import { isDuplicateKey } from '../core/db';
import { skipConflict } from '../core/errors';
import { logger } from '../core/logger';
import { type Actor, authorize } from '../core/policy';
import { link, sendMail } from '../mail/mailer';
import { findMember } from '../members/members.service';
import { recordEvent } from '../audit/audit';
import { enqueue } from '../inbox/queue';
import { getThresholds, type Thresholds } from '../settings/thresholds';
import { Recheck, type RecheckDoc } from './signal.models';
import { signalPolicy } from './signals.policy';
import { loadContact } from '../contacts/contacts.service';
import { recomputeContact } from './signals.service';

const log = logger('signals');
const DAY = 24 * 3600 * 1000;

export type RecheckReason = 'stale' | 'calls';
export const recheckId = (contactId: Types.ObjectId | string) => `recheck:${contactId}`;

/** Whether the card's author was already asked to re-check it (this episode). */
export async function recheckStarted(contactId: Types.ObjectId | string): Promise<boolean> {
  return !!(await Recheck.exists({ _id: recheckId(contactId) }));
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** The author's e-mail (plain French text; the mailer adds the signature). */
export function recheckMail(firstName: string, contact: ContactDoc, reason: RecheckReason, th: Thresholds, dueAt: Date) {
  const label = contactLabel(contact);
  const why =
    reason === 'stale'
      ? `Personne n’a confirmé la fiche « ${label} », que vous avez partagée, depuis plus de ${th.staleMonths} mois : elle est maintenant marquée « à vérifier ».`
      : `Des collègues qui ont appelé la fiche « ${label} », que vous avez partagée, ont trouvé le numéro faux ou plus attribué : elle est maintenant marquée « à vérifier ».`;
  return {
    subject: 'Pouvez-vous revérifier une fiche que vous avez partagée ? – Ligne directe',
    text:
      `Bonjour ${firstName},\n\n${why}\n\n` +
      `Si la ligne fonctionne toujours, ouvrez la fiche et cliquez sur « Toujours valable » :\n${link(`/contacts/${contact._id}#signaux`)}\n\n` +
      `Si elle a changé, proposez la correction depuis la même page.\n\n` +
      `Sans nouvelle de votre part d’ici le ${dateFormat.format(dueAt)}, la fiche sera transmise à la modération de votre région.`,
  };
}

function itemReason(reason: RecheckReason, th: Thresholds, why: 'author_gone' | 'no_answer') {
  const tail = why === 'author_gone' ? 'son auteur a quitté l’annuaire ou est suspendu' : `son auteur ne l’a pas revérifiée sous ${th.recheckGraceDays} jours`;
  return reason === 'stale'
    ? { type: 'stale' as const, code: 'stale', label: `Non vérifiée depuis plus de ${th.staleMonths} mois ; ${tail}` }
    : { type: 'report' as const, code: 'calls:wrong_number', label: `Appels : des collègues ont trouvé le numéro faux ou plus attribué ; ${tail}` };
}

async function openItem(contact: ContactDoc, reason: RecheckReason, th: Thresholds, why: 'author_gone' | 'no_answer', now: Date): Promise<void> {
  const r = itemReason(reason, th, why);
  await enqueue(
    { type: r.type, targetType: 'contact', targetId: contact._id, contactId: contact._id, region: contact.region, reason: { code: r.code, label: r.label } },
    now,
  );
}

/**
 * Begins an episode for a card that just turned « à vérifier » (called by the
 * one writer of that change). Asks the author once, or opens the item at once
 * when there is no active author to ask or no grace period.
 */
export async function startRecheck(contact: ContactDoc, reason: RecheckReason, now = new Date()): Promise<'asked' | 'queued' | 'already'> {
  const th = await getThresholds();
  const episode = contact.needsCheckSince ?? now;
  const author = await findMember(contact.createdBy);
  if (!author || author.status !== 'active' || th.recheckGraceDays === 0) {
    await openItem(contact, reason, th, 'author_gone', now);
    return 'queued';
  }
  const dueAt = new Date(now.getTime() + th.recheckGraceDays * DAY);
  const doc = { contactId: contact._id, authorId: author._id, reason, episode, askedAt: now, dueAt };
  try {
    await Recheck.create({ _id: recheckId(contact._id), ...doc });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A document of an earlier episode (the card recovered, then turned again before the job dropped it) gives way; the same episode is asked once.
    const earlier = await Recheck.findById(recheckId(contact._id)).lean<RecheckDoc>();
    if (!earlier || earlier.episode.getTime() === episode.getTime()) return 'already';
    const res = await Recheck.updateOne({ _id: recheckId(contact._id), episode: earlier.episode }, { $set: doc });
    if (!res.modifiedCount) return 'already';
  }
  await recordEvent(undefined, {
    action: 'contact.recheck_asked',
    targetType: 'contact',
    targetId: contact._id,
    contactId: contact._id,
    region: contact.region,
    reason: reason === 'stale' ? 'fiche ancienne' : 'numéro faux selon des collègues',
  });
  const mail = recheckMail(author.firstName, contact, reason, th, dueAt);
  // A mail that fails does not undo the episode: the item still opens after the grace period.
  await sendMail({ to: author.email, ...mail }).catch((err: unknown) => log.warn({ err, contactId: String(contact._id) }, 'recheck mail failed'));
  return 'asked';
}

/**
 * Opens the items whose grace period ended (the daily freshness job). An
 * episode whose card left « à vérifier » meanwhile (a colleague reached the
 * line, a moderator decided) is dropped without an item. Idempotent.
 */
export async function openDueRechecks(now = new Date()): Promise<Types.ObjectId[]> {
  const th = await getThresholds();
  const queued: Types.ObjectId[] = [];
  // A small collection by design: one document per card waiting for its author.
  for (const r of await Recheck.find({}).lean<RecheckDoc[]>()) {
    if (r.dueAt > now) continue;
    const contact = await loadContact(String(r.contactId)).catch(() => undefined);
    const waiting = contact?.state === 'needs_check' && contact.needsCheckSince?.getTime() === r.episode.getTime();
    const gone = await Recheck.deleteOne({ _id: r._id, episode: r.episode });
    if (!waiting || !contact || !gone.deletedCount) continue;
    await openItem(contact, r.reason as RecheckReason, th, 'no_answer', now);
    await recordEvent(undefined, { action: 'contact.recheck_queued', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: contact.region });
    queued.push(contact._id);
  }
  return queued;
}

/**
 * The author's « Toujours valable »: records that a person re-checked the
 * lines (older « numéro faux » calls stop counting), ends the episode so no
 * item opens, and puts a card a job or the calls set to « à vérifier » back
 * to published. A card with open reports stays as it is: the moderators
 * decide those. Only the card's active author, on a published or
 * « à vérifier » card.
 */
export async function confirmAsAuthor(actor: Actor, contactId: string, now = new Date()): Promise<{ recovered: boolean }> {
  const contact = await loadContact(contactId);
  authorize(signalPolicy.recheck(actor, contact), 'Seul l’auteur d’une fiche publiée ou « à vérifier » peut la confirmer ainsi.');
  const verification = { at: now, by: new Types.ObjectId(actor.id), method: 'author' };
  const set = { 'verified.phone': verification, lastVerifiedAt: now, callsCountFrom: now };
  let recovered = false;
  if (contact.state === 'needs_check' && !(contact.openReportIds ?? []).length) {
    const res = await changeState(contact, {
      by: 'author',
      action: 'recheck',
      set,
      unset: { needsCheckSince: 1 },
      audit: { actor, action: 'contact.author_recheck' },
    }).catch(skipConflict);
    recovered = !!res;
  }
  if (!recovered) {
    await updateContact({ _id: contact._id }, { $set: set });
    await recordEvent(actor, { action: 'contact.author_recheck', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: contact.region });
  }
  await Recheck.deleteOne({ _id: recheckId(contact._id) });
  await recomputeContact(contact._id, now);
  return { recovered };
}
