/**
 * The lifecycle's promises, attacked over HTTP with the real services
 * (docs/contact-lifecycle.md): a decision (an agent's objection, a moderator's
 * archive) is never undone by members' signals racing it; objecting to one's
 * own draft never makes it visible; an address of one's own cannot take a
 * colleague's card down.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Agency } from '../../src/agencies/agency.model';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { contactEvents } from '../../src/audit/audit';
import { UNVERIFIED_OBJECTION } from '../../src/moderation/moderation.service';
import { QueueItem, type QueueItemDoc } from '../../src/inbox/queue-item.model';
import { syncNow } from '../../src/search/indexer';
import { saveThresholds } from '../../src/settings/thresholds';
import { type Agent, csrfFrom, newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const RUNS = 20;
const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;
const stateOf = async (id: unknown) => (await Contact.findById(id).lean<ContactDoc>())!;

async function openItemOf(contactId: mongoose.Types.ObjectId): Promise<QueueItemDoc | null> {
  return QueueItem.findOne({ status: 'open', contactId }).lean<QueueItemDoc>();
}

/** Asks for the objection link of `email` (optionally naming a card) and returns its path and the confirm page's CSRF token. */
async function objectionLink(visitor: Agent, email: string, reference = ''): Promise<{ path: string; token: string }> {
  clearCaughtMails();
  const asked = await submitForm(visitor, '/opposition', '/opposition', { email, reference });
  expect(asked.status).to.equal(200);
  const path = /https?:\/\/[^/\s]+(\/opposition\/confirmer\/[A-Za-z0-9_-]+)/.exec((await waitForMail(email, /Confirmez votre opposition/)).text)![1];
  return { path, token: await csrfFrom(visitor, path) };
}

describe('contact lifecycle under attack', function () {
  this.timeout(240_000);
  let members: Array<{ agent: Agent; token: string }>;
  let moderator: Agent;
  let author: Agent;
  let reader: Agent;

  before(async () => {
    await saveThresholds({ signalsPerDay: 10_000, ratingsPerDay: 10_000 });
    members = [];
    for (let i = 0; i < 4; i++) {
      const agent = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
      members.push({ agent, token: await csrfFrom(agent, '/compte') });
    }
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    author = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    reader = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  /** Four colleagues confirm the line at the same moment. */
  const fourConfirmations = (id: mongoose.Types.ObjectId) =>
    members.map((m) => m.agent.post(`/contacts/${id}/confirmation`).type('form').send({ kind: 'works', _csrf: m.token }));

  it(`case 1: ${RUNS} objections confirmed while 4 colleagues confirm the same card: every card stays restricted, its agent hidden`, async () => {
    const agency = await buildAgency({ name: 'MDPH course', typeCode: 'MDPH' });
    let reverted = 0;
    const statuses = new Map<number, number>();
    for (let run = 0; run < RUNS; run++) {
      await mongoose.connection.collection('rate_limits').deleteMany({});
      const email = `course${run}.${Date.now()}@mdph-test.fr`;
      const direct = nextFictionalNumber();
      const card = await buildContact(agency, {
        kind: 'agent',
        agentFirstName: `Courseuse${run}`,
        agentLastName: 'Z.',
        email,
        phones: [{ e164: direct, kind: 'direct', numberType: 'fixed' }],
        phoneKeys: [direct],
      });
      const visitor = newAgent();
      const link = await objectionLink(visitor, email);

      const answers = await Promise.all([visitor.post(link.path).type('form').send({ _csrf: link.token }), ...fourConfirmations(card._id)]);

      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(answers[0].status, answers[0].text.slice(0, 400)).to.equal(200);
      expect(answers[0].text).to.include('C’est fait');
      const after = await stateOf(card._id);
      if (after.state !== 'restricted' || !after.objectedAt) reverted++;
      expect((await contactEvents(card._id)).map((e) => e.action)).to.include('objection.confirm');
    }
    await syncNow();
    const search = await reader.get('/recherche?q=courseuse&departement=').set('Accept', 'application/json');
    process.stdout.write(
      `      objection vs 4 confirmations: ${RUNS} runs, ${reverted} reverted; answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}\n`,
    );

    expect(reverted).to.equal(0);
    expect([...statuses.keys()].filter((s) => s >= 500)).to.deep.equal([]);
    expect(JSON.stringify(search.body)).not.to.include('Courseuse');
  });

  it(`case 1: ${RUNS} archives by a moderator while 4 colleagues confirm the same card: every card stays archived`, async () => {
    const agency = await buildAgency({ name: 'CAF course' });
    let reverted = 0;
    const statuses = new Map<number, number>();
    for (let run = 0; run < RUNS; run++) {
      const card = await buildContact(agency, { service: `Cellule course ${run}` });
      const token = await csrfFrom(moderator, `/moderation/contacts/${card._id}/historique`);

      const answers = await Promise.all([
        moderator.post(`/moderation/contacts/${card._id}/archiver`).type('form').send({ _csrf: token, reasonCode: '' }),
        ...fourConfirmations(card._id),
      ]);

      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(answers[0].status, answers[0].text.slice(0, 400)).to.equal(303);
      if ((await stateOf(card._id)).state !== 'archived') reverted++;
    }
    process.stdout.write(
      `      archive vs 4 confirmations: ${RUNS} runs, ${reverted} reverted; answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}\n`,
    );

    expect(reverted).to.equal(0);
    expect([...statuses.keys()].filter((s) => s >= 500)).to.deep.equal([]);
  });

  it('case 2: objecting to one’s own draft withdraws it — never visible to others, never in search, and upholding does not publish it', async () => {
    const agency = await buildAgency({ name: 'CPAM raccourci', typeCode: 'CPAM' });
    const email = `moi.${Date.now()}@cpam-test.fr`;
    const added = await submitForm(author, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing',
      agencyId: String(agency._id),
      kind: 'agent',
      agentFirstName: 'Raccourci',
      agentLastName: 'Sansmodération',
      phone1: display(nextFictionalNumber()),
      phone1Kind: 'direct',
      phone2Kind: 'direct',
      email,
      topics: 'RSA',
      tips: 'Texte jamais relu par la modération',
    });
    expect(added.status).to.equal(303);
    const id = String(added.headers.location).split('/').pop()!;
    const visitor = newAgent();
    const link = await objectionLink(visitor, email);

    const confirmed = await visitor.post(link.path).type('form').send({ _csrf: link.token });
    await syncNow();
    const page = await reader.get(`/contacts/${id}`);
    const search = await reader.get('/recherche?q=raccourci&departement=').set('Accept', 'application/json');
    const item = (await openItemOf(new mongoose.Types.ObjectId(id)))!;
    const page2 = await moderator.get(`/moderation/elements/${item._id}`);
    const version = /name="version" value="(\d+)"/.exec(page2.text)![1];
    const token = /name="_csrf" value="([^"]+)"/.exec(page2.text)![1];
    const upheld = await moderator.post(`/moderation/elements/${item._id}/decision`).type('form').send({ _csrf: token, version, action: 'uphold' });
    const after = await stateOf(id);
    const pageAfter = await reader.get(`/contacts/${id}`);

    expect(confirmed.status).to.equal(200);
    expect(page.status).to.equal(404);
    expect(page.text).not.to.include('Texte jamais relu');
    expect(JSON.stringify(search.body)).not.to.include('Raccourci');
    expect(item.type).to.equal('objection');
    expect(await QueueItem.countDocuments({ status: 'open', contactId: new mongoose.Types.ObjectId(id), type: 'new_contact' })).to.equal(0);
    expect(upheld.status, upheld.text.slice(0, 400)).to.equal(303);
    expect(after.state).to.equal('erased');
    expect(after.agentLastName).to.equal(undefined);
    expect(pageAfter.status).to.equal(404);
  });

  it('case 3: an address of one’s own cannot take down a colleague’s card — no effect, a top-priority item with the evidence', async () => {
    const agency = await buildAgency({ name: 'CAF cible' });
    const colleague = await buildContact(agency, {
      kind: 'agent',
      agentFirstName: 'Collègue',
      agentLastName: 'Visée',
      email: `collegue.${Date.now()}@caf-cible.fr`,
    });
    // The attacker's own pending card at the same agency, with an address of their domain.
    const bait = await submitForm(author, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing',
      agencyId: String(agency._id),
      kind: 'agent',
      agentFirstName: 'Appât',
      agentLastName: 'X.',
      phone1: display(nextFictionalNumber()),
      phone1Kind: 'direct',
      phone2Kind: 'direct',
      email: `x.${Date.now()}@evil.example`,
      topics: 'RSA',
    });
    expect(bait.status).to.equal(303);
    const visitor = newAgent();
    const link = await objectionLink(visitor, `y.${Date.now()}@evil.example`, `https://ligne-directe.test/contacts/${colleague._id}`);

    const confirmed = await visitor.post(link.path).type('form').send({ _csrf: link.token });
    const card = await stateOf(colleague._id);
    const page = await reader.get(`/contacts/${colleague._id}`);
    const item = (await openItemOf(colleague._id))!;

    expect(confirmed.status).to.equal(200);
    expect(confirmed.text).to.include('Votre demande est transmise');
    expect(card.state).to.equal('published');
    expect(card.objectedAt).to.equal(undefined);
    expect(page.text).to.include('Collègue');
    expect(item.type).to.equal('objection');
    expect(item.reasons.map((r) => r.code)).to.include(UNVERIFIED_OBJECTION);
    expect(item.reasons.map((r) => r.label).join(' ')).to.include('evil.example');
  });

  it('case 3: the agency vouches through its published cards’ domain or a domain its moderators set — never a webmail — and then the objection applies at once', async () => {
    const stamp = Date.now();
    const agency = await buildAgency({ name: 'CCAS garant', typeCode: 'CCAS' });
    await buildContact(agency, { kind: 'agent', agentFirstName: 'Publiée', agentLastName: 'A.', email: `a.${stamp}@ccas-garant.fr` });
    const named = await buildContact(agency, { kind: 'agent', agentFirstName: 'Nommée', agentLastName: 'B.', email: `ancienne.${stamp}@ccas-garant.fr` });
    const byDomainSet = await buildContact(agency, { kind: 'agent', agentFirstName: 'Domaine', agentLastName: 'C.' });
    await Agency.updateOne({ _id: agency._id }, { $set: { emailDomains: ['ville-garante.fr'] } });
    const webmailAgency = await buildAgency({ name: 'Bailleur webmail' });
    await buildContact(webmailAgency, { kind: 'agent', agentFirstName: 'Gmail', agentLastName: 'D.', email: `d.${stamp}@gmail.com` });
    const webmailTarget = await buildContact(webmailAgency, { kind: 'agent', agentFirstName: 'Cible', agentLastName: 'E.' });

    for (const [email, target] of [
      [`nommee.${stamp}@ccas-garant.fr`, named],
      [`c.${stamp}@ville-garante.fr`, byDomainSet],
    ] as const) {
      const visitor = newAgent();
      const link = await objectionLink(visitor, email, String(target._id));
      const done = await visitor.post(link.path).type('form').send({ _csrf: link.token });
      expect(done.text).to.include('C’est fait');
      expect((await stateOf(target._id)).state, email).to.equal('restricted');
    }
    const visitor = newAgent();
    const link = await objectionLink(visitor, `autre.${stamp}@gmail.com`, String(webmailTarget._id));
    await visitor.post(link.path).type('form').send({ _csrf: link.token });

    expect((await stateOf(webmailTarget._id)).state).to.equal('published');
    expect((await openItemOf(webmailTarget._id))!.reasons.map((r) => r.code)).to.include(UNVERIFIED_OBJECTION);
  });

  it('an unverified objection is upheld or dismissed by a moderator; a verified one can only be upheld, and its card never made visible again', async () => {
    const agency = await buildAgency({ name: 'France Travail décision' });
    const target = await buildContact(agency, { kind: 'agent', agentFirstName: 'Décision', agentLastName: 'F.' });
    const visitor = newAgent();
    const link = await objectionLink(visitor, `f.${Date.now()}@inconnu.example`, String(target._id));
    await visitor.post(link.path).type('form').send({ _csrf: link.token });
    const item = (await openItemOf(target._id))!;
    const page = await moderator.get(`/moderation/elements/${item._id}`);
    const dismissed = await moderator
      .post(`/moderation/elements/${item._id}/decision`)
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], version: /name="version" value="(\d+)"/.exec(page.text)![1], action: 'dismiss' });

    const objected = await buildContact(agency, {
      kind: 'agent',
      agentFirstName: 'Objectée',
      agentLastName: 'G.',
      state: 'restricted',
      objectedAt: new Date(),
    });
    const token = await csrfFrom(moderator, `/moderation/contacts/${objected._id}/historique`);
    await Contact.updateOne({ _id: objected._id }, { $set: { state: 'archived' } });
    const restored = await moderator.post(`/moderation/contacts/${objected._id}/restaurer`).type('form').send({ _csrf: token });

    expect(page.text).to.include('Classer sans suite');
    expect(dismissed.status, dismissed.text.slice(0, 300)).to.equal(303);
    expect((await stateOf(target._id)).state).to.equal('published');
    expect(restored.status).to.equal(409);
    expect(restored.text).to.include('L’agent s’est opposé');
    expect((await stateOf(objected._id)).state).to.equal('archived');
  });
});
