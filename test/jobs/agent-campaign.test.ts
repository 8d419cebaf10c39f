/**
 * Confirmation campaigns to listed agents (jobs/agent-campaign.ts): one e-mail
 * per agent every N months, capped per day, never to an agent who left the
 * campaigns or objected, and a bounce marks the card « à vérifier ».
 */
import { expect } from 'chai';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { runAgentCampaign } from '../../src/jobs/agent-campaign';
import { caughtMails, clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { saveThresholds } from '../../src/settings/thresholds';
import { newAgent } from '../support/agent';
import { buildAgency, buildContact, nextFictionalNumber } from '../support/factories';

const MONTH = 30.5 * 86_400_000;
let n = 0;

async function card(overrides: Record<string, unknown> = {}): Promise<ContactDoc> {
  const agency = await buildAgency({ name: 'France Travail Nantes', typeCode: 'FT' });
  n++;
  return buildContact(agency, {
    kind: 'agent',
    agentFirstName: 'Yann',
    agentLastName: `L${n}.`,
    email: `yann.l${n}.${Date.now()}@francetravail.example`,
    phones: [{ e164: nextFictionalNumber('44'), kind: 'direct', numberType: 'fixed' }],
    publishedAt: new Date(Date.now() - 8 * MONTH),
    agentInformedAt: new Date(Date.now() - 8 * MONTH),
    ...overrides,
  });
}

describe('jobs/agent-campaign', () => {
  beforeEach(async () => {
    clearCaughtMails();
    // Earlier files' cards must not take this file's daily quota: only this file's cards are campaign targets.
    await Contact.updateMany({}, { $set: { agentCampaignSentAt: new Date() } });
  });

  it('writes once to each agent due, with a personal link and a one-click unsubscribe; a second run writes nothing', async () => {
    const due = await card();
    const recent = await card({ agentInformedAt: new Date(Date.now() - 2 * MONTH) });
    const optedOut = await card();
    await Contact.updateOne({ _id: optedOut._id }, { $set: { agentCampaignOptOut: optedOut.email } });
    const objected = await card({ state: 'restricted', objectedAt: new Date() });
    const service = await card({ kind: 'service_line', agentFirstName: undefined, agentLastName: undefined });

    const first = await runAgentCampaign(new Date(), { pauseMs: 0 });
    expect(first).to.deep.equal({ sent: 1, bounced: 0, failed: 0 });
    const mail = await waitForMail(due.email!, /toujours à jour/);
    expect(mail.text).to.include('Si rien n’a changé, un clic suffit ; sans réponse, rien ne change pour vous.').and.include('Ne plus recevoir ces messages');
    const token = /\/agent\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(mail.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
    expect(mail.headers['list-unsubscribe']).to.include(`/agent/${token}/desabonnement`);
    expect((await newAgent().get(`/agent/${token}`)).status).to.equal(200);
    for (const other of [recent, optedOut, objected, service]) expect(caughtMails().some((m) => m.to.includes(other.email!)), String(other.agentLastName)).to.equal(false);
    expect(await ModerationEvent.countDocuments({ contactId: due._id, action: 'agent.campaign_sent' })).to.equal(1);

    expect(await runAgentCampaign(new Date(), { pauseMs: 0 })).to.deep.equal({ sent: 0, bounced: 0, failed: 0 });
    // Seven months on, the agent is due again.
    const later = await runAgentCampaign(new Date(Date.now() + 7 * MONTH), { pauseMs: 0 });
    expect(later.sent).to.be.at.least(1);
    expect(caughtMails().filter((m) => m.to.includes(due.email!))).to.have.length(2);
    // Unsubscribing with the first mail's link stops the next ones.
    expect((await newAgent().post(`/agent/${token}/desabonnement`).send('List-Unsubscribe=One-Click')).status).to.equal(200);
    clearCaughtMails();
    await runAgentCampaign(new Date(Date.now() + 14 * MONTH), { pauseMs: 0 });
    expect(caughtMails().some((m) => m.to.includes(due.email!))).to.equal(false);
  });

  it('stops at the daily cap and leaves the rest for the next days', async () => {
    await saveThresholds({ agentCampaignPerDay: 2 });
    try {
      const cards = [await card(), await card(), await card()];
      const day1 = await runAgentCampaign(new Date(), { pauseMs: 0 });
      expect(day1.sent).to.equal(2);
      const day2 = await runAgentCampaign(new Date(Date.now() + 86_400_000), { pauseMs: 0 });
      expect(day2.sent).to.equal(1);
      for (const c of cards) expect(caughtMails().filter((m) => m.to.includes(c.email!)), String(c.agentLastName)).to.have.length(1);
    } finally {
      await saveThresholds({ agentCampaignPerDay: 200 });
    }
  });

  it('a bounce marks the card « à vérifier » with a queue item; no answer changes nothing', async () => {
    const bouncing = await card({ email: `parti.${Date.now()}@ancien-service.invalid` });
    const silent = await card();
    const result = await runAgentCampaign(new Date(), { pauseMs: 0 });
    expect(result).to.deep.equal({ sent: 1, bounced: 1, failed: 0 });
    const after = (await Contact.findById(bouncing._id).lean<ContactDoc>())!;
    expect(after.state).to.equal('needs_check');
    const item = await QueueItem.findOne({ contactId: bouncing._id, status: 'open' }).lean();
    expect(item?.type).to.equal('stale');
    expect(item!.reasons[0].label).to.include('refusée par son serveur de messagerie');
    expect(await ModerationEvent.countDocuments({ contactId: bouncing._id, action: 'agent.bounced' })).to.equal(1);
    expect((await Contact.findById(silent._id).lean<ContactDoc>())!.state).to.equal('published');
  });
});
