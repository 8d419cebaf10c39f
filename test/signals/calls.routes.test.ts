import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { runRankDecay } from '../../src/jobs/rank';
import { caughtMails, clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { toActor } from '../../src/members/members.presenter';
import { contactEvents } from '../../src/audit/audit';
import { auditSentence } from '../../src/moderation/audit.presenter';
import { findOpenItem, openKeyOf } from '../../src/inbox/queue';
import { syncNow } from '../../src/search/indexer';
import { clearThresholdsCache, saveThresholds } from '../../src/settings/thresholds';
import { callId, recordCall } from '../../src/signals/calls.service';
import { recheckId } from '../../src/signals/rechecks';
import { Call, Recheck } from '../../src/signals/signal.models';
import { parisDay } from '../../src/core/counters';
import { type Agent, csrfFrom, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';
import { moderateContact } from '../../src/contacts/contacts.service';

const DAY = 86400_000;
const card = async (id: unknown) => (await Contact.findById(id).lean())!;
const members = async (n: number) => Promise.all(Array.from({ length: n }, () => buildMember()));
const agentsOf = async (ms: Array<{ email: string }>) => Promise.all(ms.map((m) => signedInAgent(m.email, TEST_PASSWORD)));
const tap = (agent: Agent, id: { toString(): string }, outcome: string, extra: Record<string, string> = {}) =>
  submitForm(agent, `/contacts/${String(id)}`, `/contacts/${String(id)}/appel`, { outcome, ...extra });

describe('« J’ai appelé » (signals/calls.service)', () => {
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('POST /contacts/:id/appel', () => {
    it('keeps one outcome per member, card and day: a second tap the same day replaces the first', async () => {
      const contact = await buildContact(await buildAgency());
      const [m] = await members(1);
      const [agent] = await agentsOf([m]);

      const first = await tap(agent, contact._id, 'reached');
      const afterFirst = await card(contact._id);
      const second = await tap(agent, contact._id, 'no_answer');
      const afterSecond = await card(contact._id);
      const page = await agent.get(`/contacts/${contact._id}`);

      expect(first.status).to.equal(303);
      expect(first.headers.location).to.equal(`/contacts/${contact._id}#signaux`);
      expect(second.status).to.equal(303);
      expect(afterFirst.counters!.reachedMonth).to.equal(1);
      expect(afterSecond.callIds).to.deep.equal([callId(contact._id, m._id, parisDay(new Date()))]);
      const calls = await Call.find({ _id: { $in: afterSecond.callIds } }).lean();
      expect(calls.map((c) => c.outcome)).to.deep.equal(['no_answer']);
      expect(afterSecond.counters!.reachedMonth).to.equal(0);
      expect(page.text).to.include('Votre retour d’aujourd’hui : « Pas de réponse »');
      expect(page.text).to.match(/value="no_answer" aria-pressed="true"/);
    });

    it('shows « joint par N collègues ce mois-ci » from one colleague on, on the card and on each search result', async () => {
      const contact = await buildContact(await buildAgency({ name: 'CAF de Loire-Atlantique' }), { service: 'Cellule partenaires appels' });
      const callers = await agentsOf(await members(2));
      const viewer = (await agentsOf(await members(1)))[0];

      await tap(callers[0], contact._id, 'reached');
      await syncNow();
      const one = await viewer.get(`/contacts/${contact._id}`);
      const oneSearch = await viewer.get('/recherche?q=cellule+partenaires+appels');
      await tap(callers[1], contact._id, 'reached');
      await syncNow();
      const two = await viewer.get(`/contacts/${contact._id}`);
      const twoSearch = await viewer.get('/recherche?q=cellule+partenaires+appels');

      expect(one.text).to.include('joint par 1 collègue ce mois-ci');
      expect(oneSearch.text).to.include('joint par 1 collègue ce mois-ci');
      expect(two.text).to.include('joint par 2 collègues ce mois-ci');
      expect(twoSearch.text).to.include('joint par 2 collègues ce mois-ci');
      expect(twoSearch.text).to.include(`action="/contacts/${contact._id}/appel"`);
      expect(twoSearch.text).to.include('<summary>J’ai appelé</summary>');
    });

    it('goes back to the search a result card was tapped from, and answers JSON to the page’s script', async () => {
      const contact = await buildContact(await buildAgency());
      const [agent] = await agentsOf(await members(1));

      const fromSearch = await tap(agent, contact._id, 'reached', { depuis: 'recherche', retour: '/recherche?q=caf' });
      const token = await csrfFrom(agent, `/contacts/${contact._id}`);
      const json = await agent.post(`/contacts/${contact._id}/appel`).set('Accept', 'application/json').type('form').send({ outcome: 'reached', _csrf: token });
      const elsewhere = await tap(agent, contact._id, 'reached', { depuis: 'recherche', retour: 'https://ailleurs.example/recherche' });

      expect(fromSearch.status).to.equal(303);
      expect(fromSearch.headers.location).to.equal(`/recherche?q=caf#h-${contact._id}`);
      expect(json.status).to.equal(200);
      expect(json.body).to.deep.include({ outcome: 'reached', reached: 'joint par 1 collègue ce mois-ci', flagged: false });
      expect(json.body.message).to.include('« Joint » est enregistré pour aujourd’hui');
      expect(elsewhere.headers.location).to.equal(`/recherche#h-${contact._id}`);
    });

    it('refuses an unknown outcome, a card one added oneself, and a card members cannot see', async () => {
      const [author, other] = await members(2);
      const own = await buildContact(await buildAgency(), { createdBy: author._id });
      const archived = await buildContact(await buildAgency(), { state: 'archived' });
      const [authorAgent, otherAgent] = await agentsOf([author, other]);

      const bad = await tap(otherAgent, own._id, 'peut-etre');
      const self = await tap(authorAgent, own._id, 'reached');
      const token = await csrfFrom(otherAgent, '/');
      const hidden = await otherAgent.post(`/contacts/${archived._id}/appel`).type('form').send({ outcome: 'wrong_number', _csrf: token });
      const malformed = await otherAgent.post('/contacts/pas-un-identifiant/appel').type('form').send({ outcome: 'reached', _csrf: token });

      expect(bad.status).to.equal(400);
      expect(self.status).to.equal(403);
      expect([403, 404]).to.include(hidden.status);
      expect(malformed.status).to.equal(404);
      expect(malformed.text).to.include('Ce contact n’existe pas ou plus');
      expect((await card(archived._id)).callIds).to.deep.equal([]);
      expect((await card(own._id)).callIds).to.deep.equal([]);
    });

    it('refuses taps past the daily cap with a French 429', async () => {
      await saveThresholds({ callsPerDay: 2 });
      try {
        const contacts = [await buildContact(await buildAgency()), await buildContact(await buildAgency()), await buildContact(await buildAgency())];
        const [agent] = await agentsOf(await members(1));

        const statuses = [];
        for (const c of contacts) statuses.push((await tap(agent, c._id, 'reached')).status);
        const refused = await tap(agent, contacts[0]._id, 'no_answer');

        expect(statuses).to.deep.equal([303, 303, 429]);
        expect(refused.text).to.include('limite de 2 retours d’appel par jour');
      } finally {
        await saveThresholds({ callsPerDay: 40 });
        clearThresholdsCache();
      }
    });
  });

  describe('validity', () => {
    it('counts « joint » like a confirmation, « numéro faux » like a not-working report, « pas de réponse » weakly', async () => {
      const agency = await buildAgency();
      const [reached, wrong, silent] = [await buildContact(agency), await buildContact(agency), await buildContact(agency)];
      const [a] = (await members(1)).map(toActor);

      await recordCall(a, String(reached._id), 'reached');
      await recordCall(a, String(wrong._id), 'wrong_number');
      await recordCall(a, String(silent._id), 'no_answer');

      const v = { reached: (await card(reached._id)).validity!, wrong: (await card(wrong._id)).validity!, silent: (await card(silent._id)).validity! };
      // Prior Beta(2, 1) = 0.667; one N1 signal of weight 1: 3/4 and 2/4; « pas de réponse » weighs a quarter: 2/3.25.
      expect(v.reached).to.be.closeTo(0.75, 0.001);
      expect(v.wrong).to.be.closeTo(0.5, 0.001);
      expect(v.silent).to.be.closeTo(2 / 3.25, 0.001);
      expect((await card(reached._id)).lastVerifiedAt!.getTime()).to.be.greaterThan(Date.now() - 60_000);
    });

    it('counts only each member’s latest call: one member tapping every day weighs as one', async () => {
      const contact = await buildContact(await buildAgency());
      const [a] = (await members(1)).map(toActor);
      const now = Date.now();

      for (let d = 0; d < 5; d++) await recordCall(a, String(contact._id), 'reached', new Date(now - (4 - d) * DAY));

      const after = await card(contact._id);
      expect(after.callIds).to.have.length(5);
      expect(after.validity).to.be.closeTo(0.75, 0.001);
      expect(after.counters!.reachedMonth).to.equal(1);
    });
  });

  describe('the nightly rank pass', () => {
    it('forgets last month’s « joint » on a card nobody touched, and deletes calls older than the cards keep', async () => {
      const contact = await buildContact(await buildAgency());
      const [a, b] = (await members(2)).map(toActor);
      const now = Date.now();
      await recordCall(a, String(contact._id), 'reached', new Date(now - 200 * DAY));
      await recordCall(b, String(contact._id), 'reached', new Date(now - 20 * DAY));
      const before = await card(contact._id);

      await runRankDecay(new Date(now + 15 * DAY));

      const after = await card(contact._id);
      expect(before.counters!.reachedMonth).to.equal(1);
      expect(after.counters!.reachedMonth).to.equal(0);
      expect(after.callIds).to.have.length(1);
      expect(await Call.countDocuments({ contactId: contact._id })).to.equal(1);
    });
  });

  describe('the « numéro faux » rule', () => {
    it('needs two distinct members: one member twice the same day or on two days is still one; the second member flags at once and the author is told', async () => {
      clearCaughtMails();
      const author = await buildMember({ firstName: 'Camille' });
      const contact = await buildContact(await buildAgency(), { service: 'Accueil partenaires', createdBy: author._id });
      const [a, b] = (await members(2)).map(toActor);
      const now = Date.now();

      await recordCall(a, String(contact._id), 'wrong_number', new Date(now - DAY));
      await recordCall(a, String(contact._id), 'wrong_number', new Date(now - DAY + 60_000));
      await recordCall(a, String(contact._id), 'wrong_number', new Date(now));
      const afterOne = await card(contact._id);
      const second = await recordCall(b, String(contact._id), 'wrong_number', new Date(now + 1000));
      const afterTwo = await card(contact._id);

      expect(afterOne.state).to.equal('published');
      expect(afterOne.callIds).to.have.length(2);
      expect(second.flagged).to.equal(true);
      expect(afterTwo.state).to.equal('needs_check');
      expect(afterTwo.needsCheckSince).to.be.instanceOf(Date);
      const events = await contactEvents(contact._id);
      expect(events.map((e) => e.action)).to.deep.equal(['contact.flag_calls', 'contact.recheck_asked']);
      expect(auditSentence(events[0]).text).to.equal(
        'Système a signalé la fiche à vérifier : plusieurs collègues ont trouvé le numéro faux ou plus attribué — motif : 2 collègues ont trouvé le numéro faux ou plus attribué.',
      );
      const mail = await waitForMail(author.email, /revérifier/);
      expect(mail.subject).to.equal('Pouvez-vous revérifier une fiche que vous avez partagée ? – Ligne directe');
      expect(mail.text).to.include('Bonjour Camille,');
      expect(mail.text).to.include(
        'Des collègues qui ont appelé la fiche « Accueil partenaires », que vous avez partagée, ont trouvé le numéro faux ou plus attribué : elle est maintenant marquée « à vérifier ».',
      );
      expect(mail.text).to.include('Si la ligne fonctionne toujours, ouvrez la fiche et cliquez sur « Toujours valable » :');
      expect(mail.text).to.include(`/contacts/${contact._id}#signaux`);
      expect(mail.text).to.match(/Sans nouvelle de votre part d’ici le \d{1,2} \S+ \d{4}, la fiche sera transmise à la modération de votre région\./);
      // The author is asked first: the item waits for the grace period (test/signals/rechecks.test.ts).
      expect(await findOpenItem(openKeyOf('contact', contact._id))).to.equal(undefined);
      expect(await Recheck.findById(recheckId(contact._id)).lean()).to.include({ reason: 'calls' });
    });

    it('stops counting a member whose latest call reached the line', async () => {
      const contact = await buildContact(await buildAgency());
      const [a, b] = (await members(2)).map(toActor);
      const now = Date.now();

      await recordCall(a, String(contact._id), 'wrong_number', new Date(now - DAY));
      await recordCall(a, String(contact._id), 'reached', new Date(now));
      await recordCall(b, String(contact._id), 'wrong_number', new Date(now + 1000));

      expect((await card(contact._id)).state).to.equal('published');
    });

    it('flags exactly once when two members answer « numéro faux » at the same moment', async function () {
      this.timeout(60_000);
      clearCaughtMails();
      for (let round = 0; round < 4; round++) {
        const author = await buildMember();
        const contact = await buildContact(await buildAgency(), { createdBy: author._id });
        const agents = await agentsOf(await members(2));
        const tokens = await Promise.all(agents.map((ag) => csrfFrom(ag, `/contacts/${contact._id}`)));

        const results = await Promise.all(
          agents.map((ag, i) => ag.post(`/contacts/${contact._id}/appel`).set('Accept', 'application/json').type('form').send({ outcome: 'wrong_number', _csrf: tokens[i] })),
        );

        expect(results.map((r) => r.status)).to.deep.equal([200, 200]);
        expect(results.filter((r) => (r.body as { flagged: boolean }).flagged)).to.have.length(1);
        const after = await card(contact._id);
        expect(after.state).to.equal('needs_check');
        expect(after.callIds).to.have.length(2);
        const events = await contactEvents(contact._id);
        expect(events.filter((e) => e.action === 'contact.flag_calls')).to.have.length(1);
        expect(events.filter((e) => e.action === 'contact.recheck_asked')).to.have.length(1);
        await waitForMail(author.email, /revérifier/);
        await new Promise((r) => setTimeout(r, 200));
        expect(caughtMails().filter((m) => m.to.includes(author.email.toLowerCase()))).to.have.length(1);
      }
    });

    it('never flags a restricted or objected card, nor makes it visible again; refuses an archived one', async () => {
      const agency = await buildAgency();
      const restricted = await buildContact(agency, { state: 'restricted' });
      const objected = await buildContact(agency, { state: 'restricted', objectedAt: new Date() });
      const archived = await buildContact(agency, { state: 'archived' });
      const [a, b] = (await members(2)).map(toActor);

      for (const c of [restricted, objected]) {
        await recordCall(a, String(c._id), 'wrong_number');
        await recordCall(b, String(c._id), 'wrong_number');
        await recordCall(a, String(c._id), 'reached');
      }
      const refused = await recordCall(a, String(archived._id), 'wrong_number').then(
        () => 'accepted',
        (err: { status?: number }) => err.status,
      );

      expect((await card(restricted._id)).state).to.equal('restricted');
      expect((await card(objected._id)).state).to.equal('restricted');
      expect(refused).to.equal(403);
      expect((await card(archived._id)).state).to.equal('archived');
      expect((await contactEvents(restricted._id)).map((e) => e.action)).to.deep.equal([]);
      expect((await contactEvents(objected._id)).map((e) => e.action)).to.deep.equal([]);
    });

    it('restarts the count after a moderator’s check, and tells the second member what happened', async () => {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency(), { createdBy: author._id });
      const [a, b, c] = await members(3);
      const [agentA, agentB] = await agentsOf([a, b]);
      const moderator = toActor(await buildModerator(['52']));

      await tap(agentA, contact._id, 'wrong_number');
      const flagging = await tap(agentB, contact._id, 'wrong_number');
      const flash = await agentB.get(`/contacts/${contact._id}`);
      await moderateContact(moderator, String(contact._id), 'verify');
      const third = await recordCall(toActor(c), String(contact._id), 'wrong_number');

      expect(flagging.status).to.equal(303);
      expect(flash.text).to.include('la fiche est maintenant « à vérifier » et la personne qui l’a ajoutée est invitée à la revérifier.');
      expect(third.flagged).to.equal(false);
      const after = await card(contact._id);
      expect(after.state).to.equal('published');
      expect(after.callsCountFrom).to.be.instanceOf(Date);
    });

    it('does not flag a card already « à vérifier » again', async () => {
      const contact = await buildContact(await buildAgency(), { state: 'needs_check', needsCheckSince: new Date(Date.now() - DAY) });
      const [a, b] = (await members(2)).map(toActor);

      await recordCall(a, String(contact._id), 'wrong_number');
      const second = await recordCall(b, String(contact._id), 'wrong_number');

      expect(second.flagged).to.equal(false);
      expect((await contactEvents(contact._id)).map((e) => e.action)).to.deep.equal([]);
    });
  });
});
