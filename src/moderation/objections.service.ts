/**
 * The right to object (RGPD art. 21), without an account: an agent gives a
 * professional e-mail (and, if the card shows another address, the card's
 * link); a one-time link goes to that address. On confirmation, what the
 * address proves decides the effect (docs/contact-lifecycle.md):
 * - the card shows this address, or the agency vouches for its domain (a
 *   domain a moderator set on the agency, or one its published cards use,
 *   never a webmail): a visible card is restricted at once, name and direct
 *   lines hidden everywhere, search included; a card still in review is
 *   withdrawn; an objection item waits for a moderator to erase the data;
 * - anything else: an objection item of top priority with the evidence, and
 *   no effect until a moderator decides.
 * So nobody can take a colleague's card down with an address of their own,
 * nor publish a draft by objecting to it. A verified objection wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { findAgency } from '../agencies/agencies.service';
import type { ContactDoc } from '../contacts/contact.model';
import { isInReview, LIVE_STATES } from '../contacts/contact-states';
import { agencyContactsKey, contactEmailKey, contactsByKeys, findContact } from '../contacts/contact-store';
import { applyObjection } from '../contacts/contacts.service';
import { AppError } from '../core/errors';
import { logger } from '../core/logger';
import { sendMail } from '../mail/mailer';
import { pushContactsNow } from '../search/search.service';
import { consume } from '../security/rate-limit';
import { domainOf, isWebmailDomain } from '../core/webmail';
import { moderationMails } from './moderation.mails';
import { UNVERIFIED_OBJECTION } from './moderation.service';
import { Objection, type ObjectionDoc } from './objection.model';
import { closeItemsOf, enqueue } from '../inbox/queue';

const log = logger('moderation');
const TTL_MS = 48 * 3600 * 1000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const isLive = (c: ContactDoc) => (LIVE_STATES as readonly string[]).includes(c.state);

/**
 * Whether the agency vouches for addresses at `domain`: a moderator set it on
 * the agency, or one of its published cards (a moderator approved them) uses it.
 * Cards in review prove nothing: anybody can add one with any address.
 */
export async function agencyVouchesFor(agencyId: Types.ObjectId, domain: string): Promise<boolean> {
  if (!domain || isWebmailDomain(domain)) return false;
  const agency = await findAgency(agencyId);
  if (agency?.emailDomains?.includes(domain)) return true;
  const colleagues = await contactsByKeys([agencyContactsKey(agencyId)], 500);
  return colleagues.some(
    (c) => c.agencyId.equals(agencyId) && ['published', 'needs_check'].includes(c.state) && !c.objectedAt && !!c.email && domainOf(c.email) === domain,
  );
}

interface Targets {
  verified: ContactDoc[];
  unverified: ContactDoc[];
}

/** The cards this address may object to: those showing it, and the referenced card (verified or not). */
async function targetsFor(email: string, reference?: string): Promise<Targets> {
  const address = email.trim().toLowerCase();
  const own = (await contactsByKeys([contactEmailKey(address)], 50)).filter((c) => c.email === address && isLive(c));
  const refId = reference?.match(/[a-f0-9]{24}/)?.[0];
  const ref = await findContact(refId);
  if (!ref || !isLive(ref) || own.some((c) => c._id.equals(ref._id))) return { verified: own, unverified: [] };
  return (await agencyVouchesFor(ref.agencyId, domainOf(address))) ? { verified: [...own, ref], unverified: [] } : { verified: own, unverified: [ref] };
}

/**
 * Sends the confirmation link when the address matches listed cards or names
 * one. Answers the same whatever the outcome, so the form reveals nobody's presence.
 */
export async function requestObjection(email: string, reference: string | undefined, ip: string): Promise<void> {
  await consume('objectionIp', ip);
  const { verified, unverified } = await targetsFor(email, reference);
  if (!verified.length && !unverified.length) return;
  const token = randomBytes(32).toString('base64url');
  await Objection.create({
    email,
    contactIds: verified.map((c) => c._id),
    unverifiedIds: unverified.map((c) => c._id),
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + TTL_MS),
  });
  await sendMail({ to: email, ...moderationMails.objectionLink(token) });
  log.info({ cards: verified.length, unverified: unverified.length }, 'objection link sent');
}

/**
 * A verified objection's effect on one card, idempotent: restricted (or
 * withdrawn from review, its new-contact item closed) and an objection item
 * for the moderators to erase the data. `proof` says how the agent proved who
 * they are (« confirmé par e-mail », « depuis son lien personnel »).
 * The caller pushes the card to search.
 */
export async function applyVerifiedObjection(id: Types.ObjectId, proof: string): Promise<ContactDoc | undefined> {
  const done = await applyObjection(id);
  if (!done) return undefined;
  const { before, after } = done;
  // A withdrawn draft leaves review: its new-contact item gives way to the objection item.
  if (isInReview(before.state)) await closeItemsOf('contact', after._id, 'withdrawn_by_objection');
  await enqueue({
    type: 'objection',
    targetType: 'contact',
    targetId: after._id,
    contactId: after._id,
    region: after.region,
    reason: {
      code: 'objection',
      label: isInReview(before.state)
        ? `L’agent s’oppose à sa présence dans l’annuaire (${proof}) : fiche retirée de la modération, données à effacer`
        : `L’agent s’oppose à sa présence dans l’annuaire (${proof}) : fiche restreinte, données à effacer`,
    },
  });
  return after;
}

export async function findPendingObjection(token: string): Promise<ObjectionDoc | undefined> {
  const o = await Objection.findOne({ tokenHash: sha256(token) }).lean<ObjectionDoc>();
  return o && !o.confirmedAt && o.expiresAt > new Date() ? o : undefined;
}

export interface ObjectionOutcome {
  /** Cards hidden or withdrawn at once. */
  applied: number;
  /** Cards a moderator must look at before anything changes. */
  waiting: number;
}

/**
 * Confirms: applies the objection to every verified card, pushes them to
 * search before answering, queues an item per card, and only then marks the
 * link used. Every step is idempotent, so a click that failed halfway can be
 * repeated with the same link and finishes the work.
 */
export async function confirmObjection(token: string): Promise<ObjectionOutcome> {
  const o = await findPendingObjection(token);
  if (!o) throw new AppError(400, 'bad_link', 'Ce lien n’est plus valable : il a déjà servi ou il a expiré. Vous pouvez refaire une demande.');
  const hidden: Types.ObjectId[] = [];
  for (const id of o.contactIds) {
    const after = await applyVerifiedObjection(id, 'confirmé par e-mail');
    if (after) hidden.push(after._id);
  }
  let waiting = 0;
  for (const id of o.unverifiedIds ?? []) {
    const c = await findContact(id);
    if (!c || !isLive(c)) continue;
    waiting++;
    await enqueue({
      type: 'objection',
      targetType: 'contact',
      targetId: c._id,
      contactId: c._id,
      region: c.region,
      reason: {
        code: UNVERIFIED_OBJECTION,
        label: `Opposition confirmée depuis ${o.email}, une adresse que rien ne rattache à cet organisme (domaine « ${domainOf(o.email)} » : ni sur une fiche publiée, ni indiqué par la modération). Aucun effet tant que vous n’avez pas décidé : vérifiez l’identité avant d’appliquer.`,
      },
    });
  }
  await Objection.updateOne({ _id: o._id, confirmedAt: null }, { $set: { confirmedAt: new Date() } });
  // The cards must disappear from search now, not at the next sync (the reconciler retries if this fails).
  await pushContactsNow(hidden).catch((err) => log.warn({ err: { message: (err as Error).message } }, 'search not updated yet after objection'));
  return { applied: hidden.length, waiting };
}
