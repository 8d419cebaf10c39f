/**
 * The information e-mail (RGPD art. 14) sent to a named agent when their card
 * is published, with their personal link (docs/agents.md).
 */
import type { ContactDoc } from '../contacts/contact.model';
import * as contacts from '../contacts/contacts.service';
import { sendMail } from '../mail/mailer';
import { recordEvent } from '../audit/audit';
import { issueAgentLink } from './agent-links';
import { agentMails } from './agents.mails';

/** Sends the listed agent the information e-mail with a new personal link, and records when. */
export async function informAgent(contact: ContactDoc): Promise<void> {
  const agency = await contacts.getContactAgencyName(contact);
  const token = await issueAgentLink(contact, 'information');
  await sendMail({ to: contact.email!, ...agentMails.information(agency, token) });
  await contacts.markAgentInformed(contact._id);
  await recordEvent(undefined, { action: 'agent.informed', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: contact.region });
}
