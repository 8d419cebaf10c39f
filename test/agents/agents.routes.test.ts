/**
 * The listed agent's own page (docs/agents.md), over HTTP with the real
 * services: every action and what it changes, and the link's limits — it opens
 * one card only, expires, dies with the address or the card, and is useless
 * after a withdrawal; an objection wins over concurrent confirmations.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { AgentLink } from '../../src/agents/agent-link.model';
import { issueAgentLink, tokenHash } from '../../src/agents/agent-links';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { ContactRevision } from '../../src/contacts/contact-revision.model';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { enqueue } from '../../src/inbox/queue';
import { syncNow } from '../../src/search/indexer';
import { type Agent, csrfFrom, newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { displayNumber as display } from '../support/factories';

let seq = 0;
const ABC = 'abcdefghijklmnopqrstuvwxyz';

async function agentCard(overrides: Record<string, unknown> = {}): Promise<ContactDoc> {
  const agency = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF' });
  const n = ++seq;
  return buildContact(agency, {
    kind: 'agent',
    agentFirstName: 'Nathalie',
    agentLastName: `Kerjean${ABC[n % 26]}${ABC[Math.floor(n / 26) % 26]}`,
    function: 'Référente RSA',
    email: `nathalie.b${n}.${Date.now()}@caf-44.example`,
    phones: [{ e164: nextFictionalNumber('44'), kind: 'direct', numberType: 'fixed' }],
    publishedAt: new Date(),
    ...overrides,
  });
}

const fresh = async (id: unknown) => (await Contact.findById(id).lean<ContactDoc>())!;
const post = (agent: Agent, token: string, action: string, fields: Record<string, string> = {}) => submitForm(agent, `/agent/${token}`, `/agent/${token}/${action}`, fields);
const correctionFields = (c: ContactDoc, changes: Record<string, string> = {}) => ({
  agentFirstName: c.agentFirstName ?? '',
  agentLastName: c.agentLastName ?? '',
  function: c.function ?? '',
  service: c.service ?? '',
  phone1: display(c.phones[0].e164),
  phone1Kind: 'direct',
  phone1Extension: '',
  phone2: '',
  phone2Kind: 'direct',
  phone2Extension: '',
  email: c.email ?? '',
  hours: '',
  note: '',
  ...changes,
});

describe('agents.routes — the listed agent’s own page', () => {
  let moderator: Agent;
  let member: Agent;

  before(async () => {
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('sends the link with the information e-mail at publication, and the page shows what members see', async () => {
    clearCaughtMails();
    const agency = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' });
    const email = `karim.t.${Date.now()}@cpam-44.example`;
    const added = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing', agencyId: String(agency._id), kind: 'agent', agentFirstName: 'Karim', agentLastName: 'T.', function: 'Conseiller partenaires',
      phone1: display(nextFictionalNumber()), phone1Kind: 'direct', phone2Kind: 'direct', email, topics: 'CSS',
    });
    expect(added.status).to.equal(303);
    const id = String(added.headers.location).split('/').pop()!;
    const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(id) }).lean();
    const page = await moderator.get(`/moderation/elements/${item!._id}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const decided = await moderator.post(`/moderation/elements/${item!._id}/decision`).type('form').send({ version, action: 'approve', _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] });
    expect(decided.status).to.equal(303);

    const mail = await waitForMail(email, /figurent dans l’annuaire/);
    expect(mail.text).to.include('intérêt légitime').and.include('/opposition').and.include('En un clic : confirmer que la fiche est à jour, la corriger');
    const token = /\/agent\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(await AgentLink.findById(tokenHash(token)).lean(), 'only the hash is stored').to.include({ email, purpose: 'information' });
    expect(await AgentLink.countDocuments({ _id: token })).to.equal(0);

    const visitor = newAgent();
    const own = await visitor.get(`/agent/${token}`);
    expect(own.status).to.equal(200);
    expect(own.headers['cache-control']).to.include('no-store');
    expect(own.headers['referrer-policy']).to.equal('no-referrer');
    expect(own.text).to.include('Karim T.').and.include('Conseiller partenaires').and.include('CPAM de Loire-Atlantique').and.include(email);
    for (const action of ['Mes coordonnées sont à jour', 'Corriger mes coordonnées', 'Je change de poste', 'Retirer mes coordonnées de l’annuaire', 'Ne plus recevoir ces e-mails']) {
      expect(own.text).to.include(action);
    }
  });

  it('confirm: verified now by the agent, state kept (a computed needs_check gives way), a stale item closed, shown to members', async () => {
    const card = await agentCard({ state: 'needs_check', needsCheckSince: new Date(Date.now() - 86_400_000), lastVerifiedAt: new Date('2025-01-01') });
    await enqueue({ type: 'stale', targetType: 'contact', targetId: card._id, contactId: card._id, region: card.region, reason: { code: 'stale', label: 'Non vérifiée depuis plus de 12 mois' } });
    const token = await issueAgentLink(card, 'information');
    const res = await post(newAgent(), token, 'confirmer');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/agent/${token}`);

    const after = await fresh(card._id);
    expect(after.state).to.equal('published');
    expect(after.needsCheckSince).to.equal(undefined);
    expect(after.agentConfirmedAt).to.be.instanceOf(Date);
    expect(after.lastVerifiedAt!.getTime()).to.equal(after.agentConfirmedAt!.getTime());
    expect(after.verified?.agent?.method).to.equal('agent');
    expect(after.verified?.phone?.method).to.equal('agent');
    expect(after.validity, 'the agent’s confirmation raises validity above the prior').to.be.greaterThan(2 / 3);
    expect(await QueueItem.countDocuments({ contactId: card._id, status: 'open' })).to.equal(0);
    const event = await ModerationEvent.findOne({ contactId: card._id, action: 'agent.confirm' }).lean();
    expect(event?.actorName).to.equal('L’agent');

    const page = await member.get(`/contacts/${card._id}`);
    expect(page.text).to.match(/Confirmé par l’agent le \d{1,2} \S+ \d{4}/);
    await syncNow();
    const search = await member.get(`/recherche?q=${encodeURIComponent(card.agentLastName!)}`);
    expect(search.text).to.include(card.agentLastName!).and.include('confirmé par l’agent aujourd’hui');
  });

  it('confirm does not close an item that holds members’ reports, and a restricted card cannot be confirmed', async () => {
    const reported = await agentCard();
    await enqueue({ type: 'report', targetType: 'contact', targetId: reported._id, contactId: reported._id, region: reported.region, reason: { code: 'wrong_number', label: 'Numéro erroné' } });
    expect((await post(newAgent(), await issueAgentLink(reported, 'information'), 'confirmer')).status).to.equal(303);
    expect(await QueueItem.countDocuments({ contactId: reported._id, status: 'open', type: 'report' })).to.equal(1);

    const restricted = await agentCard({ state: 'restricted' });
    const token = await issueAgentLink(restricted, 'information');
    expect((await newAgent().get(`/agent/${token}`)).status).to.equal(404);
  });

  it('correct: a pending revision flagged as the agent’s, screened like members’ text; the card is unchanged until a moderator approves', async () => {
    const card = await agentCard();
    const token = await issueAgentLink(card, 'information');
    const visitor = newAgent();
    const form = await visitor.get(`/agent/${token}/corriger`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include(`value="${card.agentFirstName}"`);

    const refused = await submitForm(visitor, `/agent/${token}/corriger`, `/agent/${token}/corriger`, correctionFields(card, { hours: 'rappeler Mme Durand au 06 12 34 56 78' }));
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('secret professionnel').and.include('rappeler Mme Durand au 06 12 34 56 78');
    expect(await ContactRevision.countDocuments({ contactId: card._id })).to.equal(0);

    const newNumber = nextFictionalNumber('44');
    const sent = await submitForm(visitor, `/agent/${token}/corriger`, `/agent/${token}/corriger`, correctionFields(card, { function: 'Responsable du pôle RSA', phone1: display(newNumber) }));
    expect(sent.status).to.equal(303);
    const revision = await ContactRevision.findOne({ contactId: card._id, status: 'pending' }).lean();
    expect(revision?.fromAgent).to.equal(true);
    expect(revision?.proposedBy).to.equal(undefined);
    expect(revision!.changes.map((c) => c.field).sort()).to.deep.equal(['function', 'phones']);
    expect((await fresh(card._id)).function, 'members still see the published version').to.equal('Référente RSA');
    const item = await QueueItem.findOne({ status: 'open', targetId: revision!._id }).lean();
    expect(item?.type).to.equal('edit');
    expect(item!.reasons[0].label).to.include('Correction proposée par l’agent lui-même');

    // A second correction replaces the first (one pending revision of the agent per card).
    await submitForm(visitor, `/agent/${token}/corriger`, `/agent/${token}/corriger`, correctionFields(card, { function: 'Responsable RSA' }));
    expect(await ContactRevision.countDocuments({ contactId: card._id, status: 'pending' })).to.equal(1);

    const page = await moderator.get(`/moderation/elements/${item!._id}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const decided = await moderator.post(`/moderation/elements/${item!._id}/decision`).type('form').send({ version, action: 'approve', _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] });
    expect(decided.status).to.equal(303);
    expect((await fresh(card._id)).function).to.equal('Responsable RSA');
  });

  it('hand over: the card needs a check and the moderators get the service to call instead, screened', async () => {
    const card = await agentCard();
    const token = await issueAgentLink(card, 'information');
    const visitor = newAgent();
    const refused = await post(visitor, token, 'changement-de-poste', { successor: 'Mme Durand attend sa réponse, dossier 12 34 567', note: '' });
    expect(refused.status).to.equal(422);
    expect((await fresh(card._id)).state).to.equal('published');

    const res = await post(visitor, token, 'changement-de-poste', { successor: 'Accueil partenaires de la CAF', note: 'Je pars au 1er janvier.' });
    expect(res.status).to.equal(303);
    const after = await fresh(card._id);
    expect(after.state).to.equal('needs_check');
    expect(after.needsCheckSince).to.be.instanceOf(Date);
    const item = await QueueItem.findOne({ contactId: card._id, status: 'open' }).lean();
    expect(item?.type).to.equal('report');
    expect(item!.reasons.map((r) => r.label).join(' ')).to.include('changer de poste').and.include('Accueil partenaires').and.include('Je pars au 1er janvier.');
    expect(await ModerationEvent.countDocuments({ contactId: card._id, action: 'agent.hand_over' })).to.equal(1);
  });

  it('withdraw: restricted at once (name gone from search), an objection item, and every link of the card is dead', async () => {
    const card = await agentCard();
    await syncNow();
    const token = await issueAgentLink(card, 'information');
    const other = await issueAgentLink(card, 'campaign');
    const res = await post(newAgent(), token, 'retrait');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Vos coordonnées sont retirées');
    const after = await fresh(card._id);
    expect(after.state).to.equal('restricted');
    expect(after.objectedAt).to.be.instanceOf(Date);
    const item = await QueueItem.findOne({ contactId: card._id, status: 'open' }).lean();
    expect(item?.type).to.equal('objection');
    expect(item!.reasons[0].label).to.include('depuis son lien personnel');
    // The answer waited for the index up to 1.5 s (search/indexer.ts pushContactsNow); on a loaded machine the sync may finish after.
    await syncNow();
    const search = await member.get(`/recherche?q=${encodeURIComponent(card.agentLastName!)}`).set('Accept', 'application/json');
    expect(search.body.hits.map((h: { name: string | null }) => h.name)).to.not.include(`Nathalie ${card.agentLastName}`);
    expect(JSON.stringify(search.body.hits)).to.not.include(card.agentLastName!);

    for (const t of [token, other]) {
      const v = newAgent();
      expect((await v.get(`/agent/${t}`)).status, 'page').to.equal(404);
      const csrf = await csrfFrom(v, '/opposition');
      for (const action of ['confirmer', 'changement-de-poste', 'campagnes', 'corriger']) {
        const r = await v.post(`/agent/${t}/${action}`).type('form').send({ _csrf: csrf, ...correctionFields(card) });
        expect(r.status, action).to.equal(404);
      }
    }
    // A link issued afterwards (a stale campaign run) opens nothing either: the card is objected to.
    expect((await newAgent().get(`/agent/${await issueAgentLink(card, 'campaign')}`)).status).to.equal(404);
    expect((await fresh(card._id)).state).to.equal('restricted');
  });

  it('an objection wins over concurrent confirmations from the same link, 10 runs', async function () {
    this.timeout(120_000);
    for (let run = 0; run < 10; run++) {
      const card = await agentCard();
      const token = await issueAgentLink(card, 'information');
      const agents = await Promise.all(Array.from({ length: 5 }, async () => {
        const a = newAgent();
        return { a, csrf: await csrfFrom(a, `/agent/${token}`) };
      }));
      const answers = await Promise.all(
        agents.map(({ a, csrf }, i) => a.post(`/agent/${token}/${i === 2 ? 'retrait' : 'confirmer'}`).type('form').send({ _csrf: csrf })),
      );
      expect(answers.every((r) => r.status < 500), answers.map((r) => r.status).join(',')).to.equal(true);
      const after = await fresh(card._id);
      expect(after.state, `run ${run}`).to.equal('restricted');
      expect(after.objectedAt).to.be.instanceOf(Date);
    }
  });

  it('a link opens its own card only: tampered, unknown, expired, other address, archived card — the same 404', async () => {
    const a = await agentCard();
    const b = await agentCard();
    const token = await issueAgentLink(a, 'information');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const t of [tampered, 'x'.repeat(43), 'short', `${token}x`]) {
      const r = await newAgent().get(`/agent/${encodeURIComponent(t)}`);
      expect(r.status, t).to.equal(404);
    }
    // Acting with A's link changes A, never B.
    await post(newAgent(), token, 'changement-de-poste', { successor: '', note: '' });
    expect((await fresh(a._id)).state).to.equal('needs_check');
    expect((await fresh(b._id)).state).to.equal('published');

    const expired = await issueAgentLink(b, 'campaign', new Date(Date.now() - 401 * 86_400_000));
    const notFound = await newAgent().get(`/agent/${expired}`);
    expect(notFound.status).to.equal(404);
    expect(notFound.text).to.include('Ce lien ne permet plus d’accéder à une fiche');

    const moved = await issueAgentLink(b, 'information');
    await Contact.updateOne({ _id: b._id }, { $set: { email: 'autre.adresse@caf-44.example' } });
    expect((await newAgent().get(`/agent/${moved}`)).status, 'the card no longer shows the address').to.equal(404);

    const c = await agentCard();
    const archivedLink = await issueAgentLink(c, 'information');
    await Contact.updateOne({ _id: c._id }, { $set: { state: 'archived' } });
    expect((await newAgent().get(`/agent/${archivedLink}`)).status).to.equal(404);
  });

  it('leaving the campaigns: from the page (CSRF) or by a mail client’s one-click POST (RFC 8058, no session)', async () => {
    const card = await agentCard();
    const token = await issueAgentLink(card, 'campaign');
    const oneClick = await newAgent().post(`/agent/${token}/desabonnement`).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).to.equal(200);
    expect((await fresh(card._id)).agentCampaignOptOut).to.equal(card.email);
    expect(await ModerationEvent.countDocuments({ contactId: card._id, action: 'agent.campaign_optout' })).to.equal(1);
    const page = await newAgent().get(`/agent/${token}`);
    expect(page.text).to.include('Vous ne recevez plus d’e-mail de confirmation');
    // Without the token of a live card, the one-click address does nothing.
    expect((await newAgent().post(`/agent/${'y'.repeat(43)}/desabonnement`).send('List-Unsubscribe=One-Click')).status).to.equal(404);

    const other = await agentCard();
    const otherToken = await issueAgentLink(other, 'campaign');
    const noCsrf = await newAgent().post(`/agent/${otherToken}/campagnes`).type('form').send({});
    expect(noCsrf.status).to.equal(403);
    expect((await post(newAgent(), otherToken, 'campagnes')).status).to.equal(303);
    expect((await fresh(other._id)).agentCampaignOptOut).to.equal(other.email);
  });

  it('stops an address after 20 links that open no card, valid links included, and leaves other addresses alone', async () => {
    const card = await agentCard();
    const token = await issueAgentLink(card, 'information');
    // Behind a trusted proxy, so that each request's address is the X-Forwarded-For it carries.
    const app = createApp();
    app.set('trust proxy', true);
    const guesser = request.agent(app);
    const wrong = (i: number) => `${'x'.repeat(40)}${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 19; i++) {
      const res = await guesser.get(`/agent/${wrong(i)}`).set('X-Forwarded-For', '203.0.113.77');
      expect(res.status, `guess ${i}`).to.equal(404);
    }
    expect((await guesser.get(`/agent/${token}`).set('X-Forwarded-For', '203.0.113.77')).status, 'a valid link counts nothing').to.equal(200);
    const stopped = await guesser.get(`/agent/${wrong(19)}`).set('X-Forwarded-For', '203.0.113.77');
    expect(stopped.status, 'the 20th wrong link').to.equal(404);
    const blocked = await guesser.get(`/agent/${token}`).set('X-Forwarded-For', '203.0.113.77');
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.include('Trop de liens invalides depuis cette adresse');
    const unsubscribe = await guesser.post(`/agent/${token}/desabonnement`).set('X-Forwarded-For', '203.0.113.77').type('form').send({ 'List-Unsubscribe': 'One-Click' });
    expect(unsubscribe.status, 'the one-click unsubscribe is guarded too').to.equal(429);
    expect((await request.agent(app).get(`/agent/${token}`).set('X-Forwarded-For', '203.0.113.78')).status, 'another address').to.equal(200);
    expect((await fresh(card._id)).agentCampaignOptOut).to.equal(undefined);
  });
});
