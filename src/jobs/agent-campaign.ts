/**
 * Confirmation campaigns (docs/agents.md): every `agentCampaignMonths` months
 * each visible named card with an agent address gets one short e-mail with a
 * fresh personal link, at most `agentCampaignPerDay` a day, spaced out. No
 * answer changes nothing. An address the receiving server refuses for good
 * (a bounce) marks the card « à vérifier » and puts it in the queue. An agent
 * who unsubscribed (for this address) or objected is never written to.
 *
 * Like the freshness job, this daily job reads the visible cards with a
 * cursor (a job, not a request: docs/data-access.md). Each send is claimed
 * first by a conditional write on the date read, so two instances never both
 * send, and a send that fails for a passing reason is released for next run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { agentMails, issueAgentLink } from '../agents/agents.service';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { contactLabel } from '../contacts/contact-states';
import { changeState } from '../contacts/contact-store';
import { getContactAgencyName } from '../contacts/contacts.service';
import { skipConflict } from '../core/errors';
import { monthsBefore } from '../core/dates';
import { logger } from '../core/logger';
import { isPermanentRejection, sendMail } from '../mail/mailer';
import { recordEvent } from '../audit/audit';
import { enqueue } from '../inbox/queue';
import { getThresholds } from '../settings/thresholds';

const log = logger('jobs');

export interface CampaignResult {
  sent: number;
  bounced: number;
  failed: number;
}

/** When the agent last heard from the directory about this card. */
const lastContact = (c: ContactDoc) =>
  Math.max(...[c.agentCampaignSentAt, c.agentConfirmedAt, c.agentInformedAt, c.publishedAt].map((d) => (d ? new Date(d).getTime() : 0)));

export const isCampaignTarget = (c: ContactDoc) =>
  c.kind === 'agent' && !!c.email && !c.objectedAt && c.agentCampaignOptOut !== c.email && ['published', 'needs_check'].includes(c.state);

export async function runAgentCampaign(now = new Date(), opts: { pauseMs?: number } = {}): Promise<CampaignResult> {
  const th = await getThresholds();
  const due = monthsBefore(now, th.agentCampaignMonths).getTime();
  const pauseMs = opts.pauseMs ?? 500;
  const result: CampaignResult = { sent: 0, bounced: 0, failed: 0 };
  const cursor = Contact.find({ state: { $in: ['published', 'needs_check'] }, kind: 'agent' })
    .lean<ContactDoc[]>()
    .cursor({ batchSize: 2000 });
  for await (const doc of cursor) {
    if (result.sent + result.bounced + result.failed >= th.agentCampaignPerDay) break;
    const c = doc as unknown as ContactDoc;
    if (!isCampaignTarget(c) || lastContact(c) > due) continue;
    const claimed = await Contact.updateOne({ _id: c._id, email: c.email, agentCampaignSentAt: c.agentCampaignSentAt ?? null }, { $set: { agentCampaignSentAt: now } });
    if (!claimed.modifiedCount) continue;
    try {
      const token = await issueAgentLink(c, 'campaign', now);
      await sendMail({ to: c.email!, ...agentMails.campaign(await getContactAgencyName(c), contactLabel(c), token) });
      result.sent++;
      await recordEvent(undefined, { action: 'agent.campaign_sent', targetType: 'contact', targetId: c._id, contactId: c._id, region: c.region });
    } catch (err) {
      if (isPermanentRejection(err)) {
        result.bounced++;
        await bounced(c, now);
      } else {
        result.failed++;
        // A passing failure (server down): the card is due again next run.
        await Contact.updateOne(
          { _id: c._id, agentCampaignSentAt: now },
          c.agentCampaignSentAt ? { $set: { agentCampaignSentAt: c.agentCampaignSentAt } } : { $unset: { agentCampaignSentAt: 1 } },
        );
        log.warn({ err: { message: (err as Error).message }, contactId: String(c._id) }, 'campaign mail not sent');
      }
    }
    if (pauseMs) await sleep(pauseMs);
  }
  log.info({ ...result }, 'agent campaign run');
  return result;
}

/** The agent's address is refused for good: the card needs a check, and the moderators are told why. */
async function bounced(c: ContactDoc, now: Date): Promise<void> {
  const fresh = await Contact.findById(c._id).lean<ContactDoc>();
  if (!fresh) return;
  if (fresh.state === 'published') {
    await changeState(fresh, {
      by: 'job',
      action: 'flag',
      set: { needsCheckSince: now },
      audit: { actor: undefined, action: 'agent.bounced', reason: 'adresse de l’agent refusée par son serveur de messagerie' },
    }).catch(skipConflict);
  }
  await enqueue(
    {
      type: 'stale',
      targetType: 'contact',
      targetId: c._id,
      contactId: c._id,
      region: c.region,
      reason: {
        code: 'agent_email_bounced',
        label: `L’adresse de l’agent (${c.email}) est refusée par son serveur de messagerie : la personne a peut-être quitté ce poste`,
      },
    },
    now,
  );
}
