/**
 * Issuing and checking agents' personal links (docs/agents.md). A link is
 * bound to one card and one address; it stops working when it expires, when
 * the card no longer shows that address, when the card is no longer visible
 * or was objected to, and when the agent withdrew (every link of the card
 * issued before is void). Every refusal is the same 404, so a link tells
 * nothing about a card it does not open.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { findContact, revokeAgentLinksOf } from '../contacts/contact-store';
import { AppError } from '../core/errors';
import { AgentLink, type AgentLinkDoc } from './agent-link.model';

export const AGENT_LINK_DAYS = 400;
const DAY = 24 * 3600 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const badAgentLink = () =>
  new AppError(
    404,
    'bad_agent_link',
    'Ce lien ne permet plus d’accéder à une fiche : il a expiré, a été remplacé, ou la fiche n’est plus dans l’annuaire. Pour vous opposer à la présence de vos coordonnées, utilisez la page « Vos droits ».',
  );

/** A new link for the card's current address; returns the token (only its hash is stored). */
export async function issueAgentLink(contact: Pick<ContactDoc, '_id' | 'email'>, purpose: AgentLinkDoc['purpose'], now = new Date()): Promise<string> {
  if (!contact.email) throw new Error('issueAgentLink: the card has no address');
  const token = randomBytes(32).toString('base64url');
  await AgentLink.create({
    _id: tokenHash(token),
    contactId: contact._id,
    email: contact.email,
    purpose,
    expiresAt: new Date(now.getTime() + AGENT_LINK_DAYS * DAY),
  });
  return token;
}

export interface ResolvedLink {
  link: AgentLinkDoc;
  contact: ContactDoc;
}

/**
 * The link and its card, or the one 404. `allowObjected` lets « withdraw » be
 * repeated with the same link when a first attempt stopped halfway.
 */
export async function resolveAgentLink(token: string, now = new Date(), opts: { allowObjected?: boolean } = {}): Promise<ResolvedLink> {
  if (!TOKEN.test(token)) throw badAgentLink();
  const link = await AgentLink.findById(tokenHash(token)).lean<AgentLinkDoc>();
  if (!link || link.revokedAt || link.expiresAt <= now) throw badAgentLink();
  const contact = await findContact(link.contactId);
  if (!contact || contact.kind !== 'agent' || contact.email !== link.email) throw badAgentLink();
  if (contact.agentLinksRevokedAt && link.createdAt <= contact.agentLinksRevokedAt) throw badAgentLink();
  const objected = !!contact.objectedAt;
  const live = ['published', 'needs_check'].includes(contact.state) || (objected && opts.allowObjected && ['restricted', 'rejected'].includes(contact.state));
  if (!live || (objected && !opts.allowObjected)) throw badAgentLink();
  return { link, contact };
}

/** Voids every link of the card issued up to now (the agent withdrew). */
export async function revokeAgentLinks(contactId: Types.ObjectId, usedLinkId: string, now = new Date()): Promise<void> {
  await AgentLink.updateOne({ _id: usedLinkId }, { $set: { revokedAt: now } });
  await revokeAgentLinksOf(contactId, now);
}

export async function markLinkUsed(linkId: string, now = new Date()): Promise<void> {
  await AgentLink.updateOne({ _id: linkId }, { $set: { lastUsedAt: now } });
}

/** Deletes links past their date, and revoked ones a month after (the clean-up job). */
export async function purgeExpiredAgentLinks(now = new Date()): Promise<number> {
  const res = await AgentLink.deleteMany({ $or: [{ expiresAt: { $lt: now } }, { revokedAt: { $lt: new Date(now.getTime() - 30 * DAY) } }] });
  return res.deletedCount;
}
