import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { toActor } from '../../src/members/members.presenter';
import { syncNow } from '../../src/search/indexer';
import { searchContacts } from '../../src/search/search.service';
import { clearThresholdsCache, saveThresholds } from '../../src/settings/thresholds';
import { Confirmation, Rating, Report } from '../../src/signals/signal.models';
import { confirmContact, rateContact, reportContact, withdrawReport } from '../../src/signals/signals.service';
import { signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

const actors = async (n: number, level = 1) => Promise.all(Array.from({ length: n }, async () => toActor(await buildMember({ level }))));
const state = async (id: unknown) => (await Contact.findById(id).lean())!;

describe('signals.service', () => {
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('reportContact()', () => {
    it('moves a contact to needs_check only with enough weight from two distinct members', async () => {
      const contact = await buildContact(await buildAgency());
      const [a, b] = await actors(2);

      await reportContact(a, String(contact._id), { kind: 'wrong_number' });
      const afterOne = await state(contact._id);
      await reportContact(b, String(contact._id), { kind: 'no_answer' });
      const afterTwo = await state(contact._id);

      expect(afterOne.state).to.equal('published');
      expect(afterTwo.state).to.equal('needs_check');
      expect(afterTwo.needsCheckSince).to.be.instanceOf(Date);
      expect(afterTwo.counters!.reports).to.equal(2);
    });

    it('masks the number after four members, unless a colleague confirmed it recently', async () => {
      const masked = await buildContact(await buildAgency());
      const confirmed = await buildContact(await buildAgency());
      const reporters = await actors(4);
      const [confirmer] = await actors(1);
      await confirmContact(confirmer, String(confirmed._id), 'works');

      for (const [i, r] of reporters.entries()) {
        await reportContact(r, String(masked._id), { kind: 'wrong_number' });
        await reportContact(r, String(confirmed._id), { kind: 'wrong_number' });
        if (i === 2) expect((await state(masked._id)).phonesMasked, 'three N1 reports weigh 6 < 8').to.equal(false);
      }

      expect((await state(masked._id)).phonesMasked).to.equal(true);
      expect((await state(confirmed._id)).phonesMasked).to.equal(false);
    });

    it('restricts at once on a personal-data report from a trusted member, or from two members', async () => {
      const byTrusted = await buildContact(await buildAgency());
      const byTwo = await buildContact(await buildAgency());
      const [trusted] = await actors(1, 2);
      const [a, b] = await actors(2);

      await reportContact(trusted, String(byTrusted._id), { kind: 'personal_data' });
      await reportContact(a, String(byTwo._id), { kind: 'personal_data' });
      const afterOne = (await state(byTwo._id)).state;
      await reportContact(b, String(byTwo._id), { kind: 'personal_data' });

      expect((await state(byTrusted._id)).state).to.equal('restricted');
      expect(afterOne).to.equal('published');
      expect((await state(byTwo._id)).state).to.equal('restricted');
    });

    it('puts a contact in needs_check when a moderator says the person left', async () => {
      const contact = await buildContact(await buildAgency());
      const moderator = toActor(await buildModerator(['52']));

      await reportContact(moderator, String(contact._id), { kind: 'person_left' });

      expect((await state(contact._id)).state).to.equal('needs_check');
    });

    it('keeps one open report per member, withdrawable, and one member never moves the state alone', async () => {
      const contact = await buildContact(await buildAgency());
      const [a] = await actors(1);

      await reportContact(a, String(contact._id), { kind: 'wrong_number' });
      const again = await reportContact(a, String(contact._id), { kind: 'no_answer' }).catch((e) => e);
      await withdrawReport(a, String(contact._id));
      await reportContact(a, String(contact._id), { kind: 'person_left' });

      expect(again.status).to.equal(409);
      expect(await Report.countDocuments({ contactId: contact._id, status: 'open' })).to.equal(1);
      expect(await Report.countDocuments({ contactId: contact._id, status: 'withdrawn' })).to.equal(1);
      expect((await state(contact._id)).state).to.equal('published');
    });
  });

  describe('rateContact() and confirmContact()', () => {
    it('counts one vote and one confirmation per member however often they click', async () => {
      const contact = await buildContact(await buildAgency());
      const [a] = await actors(1);

      for (let i = 0; i < 5; i++) {
        await rateContact(a, String(contact._id), { useful: true, tags: ['reactif'] });
        await confirmContact(a, String(contact._id), 'works');
      }
      await rateContact(a, String(contact._id), { useful: false, tags: [] });

      const c = await state(contact._id);
      expect(await Rating.countDocuments({ contactId: contact._id })).to.equal(1);
      expect(await Confirmation.countDocuments({ contactId: contact._id })).to.equal(1);
      expect(c.counters).to.include({ helpful: 0, notHelpful: 1, confirmations: 1 });
    });

    it('refuses a vote on one’s own contact', async () => {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency(), { createdBy: author._id });

      const err = await rateContact(toActor(author), String(contact._id), { useful: true, tags: [] }).catch((e) => e);

      expect(err.status).to.equal(403);
    });

    it('refuses an account that holds data about a person helped, and keeps nothing', async () => {
      const contact = await buildContact(await buildAgency());
      const [a] = await actors(1);

      const err = await rateContact(a, String(contact._id), { useful: true, tags: [], account: 'Dossier de Mme Durand réglé' }).catch((e) => e);

      expect(err.status).to.equal(422);
      expect(await Rating.countDocuments({ contactId: contact._id })).to.equal(0);
    });

    it('ranks a contact with 3 recent « ça marche » above an otherwise equal one', async () => {
      const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
      const plain = await buildContact(agency, { service: 'Cellule partenaires' });
      const confirmed = await buildContact(agency, { service: 'Cellule partenaires' });
      for (const a of await actors(3)) await confirmContact(a, String(confirmed._id), 'works');
      await syncNow();

      const result = await searchContacts(toActor(await buildMember()), { q: 'cellule partenaires', tri: 'pertinence', page: 1 });

      const order = result.hits.map((h) => h.id);
      expect(order.indexOf(String(confirmed._id))).to.be.lessThan(order.indexOf(String(plain._id)));
      expect((await state(confirmed._id)).rankScore).to.be.greaterThan((await state(plain._id)).rankScore);
    });

    it('refuses more than the daily cap of ratings with a French 429', async () => {
      const agency = await buildAgency();
      const [a] = await actors(1);
      await saveThresholds({ ratingsPerDay: 2 });
      try {
        for (let i = 0; i < 2; i++) await rateContact(a, String((await buildContact(agency))._id), { useful: true, tags: [] });
        const err = await rateContact(a, String((await buildContact(agency))._id), { useful: true, tags: [] }).catch((e) => e);
        expect(err.status).to.equal(429);
        expect(err.message).to.include('limite de 2 évaluations par jour');
      } finally {
        await mongoose.connection.collection('settings').deleteMany({});
        clearThresholdsCache();
      }
    });
  });

  describe('routes', () => {
    it('lets a member say « ça marche » in one click and shows the freshness phrase', async () => {
      const contact = await buildContact(await buildAgency(), { lastVerifiedAt: new Date(Date.now() - 400 * 86400_000) });
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const res = await submitForm(agent, `/contacts/${contact._id}`, `/contacts/${contact._id}/confirmation`, { kind: 'works' });
      const page = await agent.get(`/contacts/${contact._id}`);

      expect(res.status).to.equal(303);
      expect(page.text).to.include('Vérifié aujourd’hui');
      // One confirmation: no count, it would point at this member (from 3 on, contact-page.routes.test.ts).
      expect(page.text).to.not.include('confirmé par');
      expect(page.text).to.include('Votre avis : « J’ai appelé, ça marche »');
    });

    it('shows the usefulness aggregate only from 3 votes on', async () => {
      const contact = await buildContact(await buildAgency());
      const voters = await actors(3);
      await rateContact(voters[0], String(contact._id), { useful: true, tags: [] });
      await rateContact(voters[1], String(contact._id), { useful: true, tags: [] });
      const viewer = await signedInAgent((await buildMember()).email, TEST_PASSWORD);

      const two = await viewer.get(`/contacts/${contact._id}`);
      await rateContact(voters[2], String(contact._id), { useful: false, tags: [] });
      const three = await viewer.get(`/contacts/${contact._id}`);

      expect(two.text).not.to.include('situations débloquées');
      expect(three.text).to.include('2 situations débloquées · utile pour 7 collègues sur 10');
    });

    it('shows a masked number as « signalé invalide » on the page and in search', async () => {
      const contact = await buildContact(await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' }), { phonesMasked: true });
      const agent = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
      await syncNow();

      const page = await agent.get(`/contacts/${contact._id}`);
      const search = await agent.get('/recherche?q=cpam');

      expect(page.text).to.include('Numéro signalé invalide');
      expect(page.text).not.to.include(contact.phones[0].e164);
      expect(search.text).to.include('Numéro signalé invalide');
      expect(search.text).not.to.include(contact.phones[0].e164);
    });
  });
});
