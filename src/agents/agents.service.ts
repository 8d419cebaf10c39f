/**
 * The listed agent's own page (docs/agents.md): what members see about them,
 * and four actions, each authorised by the personal link alone (no account):
 * confirm, correct, hand over, withdraw; plus leaving the confirmation
 * campaigns. Each action is one conditional write on the card as read.
 */
import type { AgencyDoc } from '../agencies/agency.model';
import { findAgency } from '../agencies/agencies.service';
import type { ContactDoc } from '../contacts/contact.model';
import { cardWords, screenOrThrow } from '../contacts/contact-input';
import * as contacts from '../contacts/contacts.service';
import type { AgentCorrectionInput } from '../contacts/contacts.schemas';
import { logger } from '../core/logger';
import { recordEvent } from '../audit/audit';
import { AGENT_ACTOR_NAME } from '../audit/audit-actions';
import { applyVerifiedObjection } from '../moderation/objections.service';
import { closeItemsOf, enqueue, findOpenItem, openKeyOf } from '../inbox/queue';
import { pushContactsNow } from '../search/search.service';
import { recomputeContact } from '../signals/signals.service';
import { markLinkUsed, resolveAgentLink, revokeAgentLinks } from './agent-links';
import type { HandOverInput } from './agents.schemas';

const log = logger('agents');

export async function agentPage(token: string): Promise<{ contact: ContactDoc; agency: AgencyDoc }> {
  const { contact } = await resolveAgentLink(token);
  const agency = await findAgency(contact.agencyId);
  if (!agency) throw new Error(`agency ${contact.agencyId} of contact ${contact._id} is missing`);
  return { contact, agency };
}

const agentEvent = (contact: ContactDoc, action: 'agent.correct' | 'agent.withdraw' | 'agent.campaign_optout', reason?: string) =>
  recordEvent(undefined, {
    action,
    actorName: AGENT_ACTOR_NAME,
    targetType: 'contact',
    targetId: contact._id,
    contactId: contact._id,
    region: contact.region,
    ...(reason ? { reason } : {}),
  });

/**
 * « Mes coordonnées sont à jour »: verified now by the agent, a stale card's
 * queue item closed (an item holding members' reports stays for moderators),
 * the scores recomputed with the agent's confirmation.
 */
export async function confirm(token: string, now = new Date()): Promise<ContactDoc> {
  const { link, contact } = await resolveAgentLink(token, now);
  const after = await contacts.confirmByAgent(contact, now);
  await markLinkUsed(link._id, now);
  const open = await findOpenItem(openKeyOf('contact', after._id));
  if (open?.type === 'stale') await closeItemsOf('contact', after._id, 'confirmed_by_agent', now);
  await recomputeContact(after._id, now).catch((err) =>
    log.warn({ err: { message: (err as Error).message } }, 'scores not recomputed after agent confirmation'),
  );
  return after;
}

/** A correction: a pending revision flagged as the agent's, for the région's moderators. */
export async function correct(token: string, input: AgentCorrectionInput, now = new Date()): Promise<'proposed' | 'unchanged'> {
  const { link, contact } = await resolveAgentLink(token, now);
  const revision = await contacts.proposeAgentCorrection(contact, input);
  await markLinkUsed(link._id, now);
  if (!revision) return 'unchanged';
  await agentEvent(contact, 'agent.correct', revision.changes.map((c) => c.field).join(', '));
  return 'proposed';
}

/**
 * « Je change de poste »: the card needs a check, and a queue item tells the
 * moderators, with the service to call instead when the agent names one. The
 * free text is screened like any other before it is stored.
 */
export async function handOver(token: string, input: HandOverInput, now = new Date()): Promise<ContactDoc> {
  const { link, contact } = await resolveAgentLink(token, now);
  const flags = screenOrThrow({ successor: input.successor, note: input.note }, cardWords(contact));
  const parts = [
    'L’agent indique changer de poste (depuis son lien personnel)',
    input.successor ? `à joindre désormais : « ${input.successor} »` : undefined,
    input.note ? `message : « ${input.note} »` : undefined,
  ].filter(Boolean);
  const after = await contacts.handOverByAgent(contact, parts.join(' ; '), now);
  await markLinkUsed(link._id, now);
  await enqueue(
    {
      type: 'report',
      targetType: 'contact',
      targetId: after._id,
      contactId: after._id,
      region: after.region,
      reason: { code: 'agent_hand_over', label: parts.join(' ; ') },
      screeningFlags: flags,
    },
    now,
  );
  return after;
}

/**
 * « Retirer mes coordonnées »: the objection, applied at once, since the link
 * proves who the agent is. Every link of the card is voided last, so a first
 * attempt that stopped halfway can be repeated with the same link.
 */
export async function withdraw(token: string, now = new Date()): Promise<void> {
  const { link, contact } = await resolveAgentLink(token, now, { allowObjected: true });
  const after = await applyVerifiedObjection(contact._id, 'depuis son lien personnel');
  if (after)
    await pushContactsNow([after._id]).catch((err) => log.warn({ err: { message: (err as Error).message } }, 'search not updated yet after withdrawal'));
  await agentEvent(contact, 'agent.withdraw');
  await revokeAgentLinks(contact._id, link._id, now);
}

/** No more confirmation campaigns for this card and address; the page and the right to object stay. */
export async function leaveCampaigns(token: string, now = new Date()): Promise<void> {
  const { link, contact } = await resolveAgentLink(token, now);
  if (contact.agentCampaignOptOut === contact.email) return;
  await contacts.optOutOfCampaigns(contact);
  await markLinkUsed(link._id, now);
  await agentEvent(contact, 'agent.campaign_optout');
}

// The agents' API to the other features: informing an agent, their links, the information text and e-mails.
export { informAgent } from './inform';
export { issueAgentLink, purgeExpiredAgentLinks } from './agent-links';
export { agentInformationParagraphs, agentMails } from './agents.mails';
