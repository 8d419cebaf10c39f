/**
 * The right to object (RGPD art. 21), without an account: an agent gives a
 * professional e-mail (and, if the card shows another address, the card's
 * link); a one-time link goes to that address; on confirmation the cards are
 * restricted at once (name and direct line hidden everywhere, search
 * included) and an objection item waits for a moderator, whose decision
 * erases the personal fields and blocks re-creation. An objection wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import { agencyContactsKey, contactEmailKey, contactsByKeys } from '../contacts/contact-store';

import { Contact, type ContactDoc } from '../contacts/contact.model';
import { restrictForObjection } from '../contacts/contacts.service';
import { AppError } from '../core/errors';
import { logger } from '../core/logger';
import { sendMail } from '../mail/mailer';
import { pushContactsNow } from '../search/indexer';
import type { Types } from 'mongoose';
import { consume } from '../security/rate-limit';
import { recordEvent } from './audit';
import { moderationMails } from './moderation.mails';
import { Objection, type ObjectionDoc } from './objection.model';
import { enqueue } from './queue';

const log = logger('moderation');
const TTL_MS = 48 * 3600 * 1000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const domainOf = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';
const LIVE = ['published', 'needs_check', 'restricted', 'pending', 'changes_requested'];

/** Cards this address may object to: those showing it, or — with a card reference — a card of an agency whose cards use the same domain. */
async function contactsFor(email: string, reference?: string): Promise<ContactDoc[]> {
  const own = (await contactsByKeys([contactEmailKey(email)], 50)).filter((c) => c.email === email.trim().toLowerCase() && LIVE.includes(c.state));
  const refId = reference?.match(/[a-f0-9]{24}/)?.[0];
  if (!refId) return own;
  const ref = await Contact.findById(refId).lean<ContactDoc>();
  if (!ref || !LIVE.includes(ref.state) || own.some((c) => c._id.equals(ref._id))) return own;
  const colleagues = (await contactsByKeys([agencyContactsKey(ref.agencyId)], 500)).filter((c) => c.agencyId.equals(ref.agencyId));
  const domains = new Set(colleagues.map((c) => c.email && domainOf(c.email)).filter(Boolean));
  return domains.has(domainOf(email)) ? [...own, ref] : own;
}

/**
 * Sends the confirmation link when the address matches listed cards. Answers
 * the same whatever the outcome, so the form reveals nobody's presence.
 */
export async function requestObjection(email: string, reference: string | undefined, ip: string): Promise<void> {
  await consume('objectionIp', ip);
  const targets = await contactsFor(email, reference);
  if (!targets.length) return;
  const token = randomBytes(32).toString('base64url');
  await Objection.create({ email, contactIds: targets.map((c) => c._id), tokenHash: sha256(token), expiresAt: new Date(Date.now() + TTL_MS) });
  await sendMail({ to: email, ...moderationMails.objectionLink(token) });
  log.info({ cards: targets.length }, 'objection link sent');
}

export async function findPendingObjection(token: string): Promise<ObjectionDoc | undefined> {
  const o = await Objection.findOne({ tokenHash: sha256(token) }).lean<ObjectionDoc>();
  return o && !o.confirmedAt && o.expiresAt > new Date() ? o : undefined;
}

/** Confirms: restricts every card at once, pushes it to search before answering, and queues the objection. */
export async function confirmObjection(token: string): Promise<number> {
  const o = await Objection.findOneAndUpdate(
    { tokenHash: sha256(token), confirmedAt: null },
    { $set: { confirmedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<ObjectionDoc>();
  if (!o || o.expiresAt <= new Date()) throw new AppError(400, 'bad_link', 'Ce lien n’est plus valable : il a déjà servi ou il a expiré. Vous pouvez refaire une demande.');
  const restricted: Types.ObjectId[] = [];
  for (const id of o.contactIds) {
    const c = (await restrictForObjection(String(id))) ?? (await Contact.findById(id).lean<ContactDoc>());
    if (!c) continue;
    restricted.push(c._id);
    await recordEvent(undefined, { action: 'objection.confirm', targetType: 'contact', targetId: c._id, contactId: c._id, region: c.region, changes: [{ field: 'state', before: null, after: 'restricted' }] });
    await enqueue({ type: 'objection', targetType: 'contact', targetId: c._id, contactId: c._id, region: c.region, reason: { code: 'objection', label: 'L’agent s’oppose à sa présence dans l’annuaire (confirmé par e-mail) : à appliquer' } });
  }
  // The card must disappear from search now, not at the next sync (the reconciler retries if this fails).
  await pushContactsNow(restricted).catch((err) => log.warn({ err: { message: (err as Error).message } }, 'search not updated yet after objection'));
  return restricted.length;
}

