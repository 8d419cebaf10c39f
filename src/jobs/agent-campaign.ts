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
import type { ContactDoc } from '../contacts/contact.model';
import { contactLabel } from '../contacts/contact-states';
import { changeState, claimCampaignSend, contactsInStates, findContact, releaseCampaignSend } from '../contacts/contact-store';
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
  for await (const c of contactsInStates(['published', 'needs_check'], { kind: 'agent' })) {
    if (result.sent + result.bounced + result.failed >= th.agentCampaignPerDay) break;
    if (!isCampaignTarget(c) || lastContact(c) > due) continue;
    if (!(await claimCampaignSend(c, now))) continue;
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
        await releaseCampaignSend(c, now);
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
  const fresh = await findContact(c._id);
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
