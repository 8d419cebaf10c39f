import { expect } from 'chai';
import mongoose from 'mongoose';
import { Agency } from '../../src/agencies/agency.model';
import { Contact } from '../../src/contacts/contact.model';
import { migrateData } from '../../src/jobs/rebuild-keys';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { syncNow } from '../../src/search/indexer';
import { Setting } from '../../src/settings/setting.model';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildMember, buildModerator, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

let counter = 0;

function newAgencyForm(overrides: Record<string, string> = {}) {
  return {
    agencyMode: 'new',
    agencyId: '',
    newAgencyName: `CCAS de Bouguenais ${++counter}`,
    newAgencyType: 'CCAS',
    newAgencyDepartement: '44',
    newAgencyCommune: 'Bouguenais',
    newAgencyPostcode: '44340',
    kind: 'service_line',
    service: 'Accueil social',
    phone1: displayNumber(nextFictionalNumber()),
    phone1Kind: 'service',
    phone2Kind: 'direct',
    topics: 'RSA',
    ...overrides,
  };
}

async function propose(agent: Agent, form: Record<string, string>) {
  const res = await submitForm(agent, '/contacts/nouveau', '/contacts/nouveau', form);
  expect(res.status, res.text.slice(0, 800)).to.equal(303);
  const contactId = String(res.headers.location).split('/').pop()!;
  const contact = (await Contact.findById(contactId).lean())!;
  return { contactId, agencyId: String(contact.agencyId) };
}

async function decide(agent: Agent, contactId: string, fields: Record<string, string>) {
  const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(contactId) }).lean();
  const page = await agent.get(`/moderation/elements/${item!._id}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)![1];
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await agent.post(`/moderation/elements/${item!._id}/decision`).type('form').send({ version, _csrf: token, ...fields });
  expect(res.status, res.text.slice(0, 800)).to.equal(303);
}

const suggestions = async (agent: Agent, q: string) =>
  ((await agent.get(`/organismes/suggestions?q=${encodeURIComponent(q)}&departement=44`)).body as { agencies: Array<{ id: string }> }).agencies.map((a) => a.id);

describe('agencies.routes: a new agency is screened and moderated with the contact that creates it', () => {
  let creator: Agent;
  let colleague: Agent;
  let moderator: Agent;

  before(async () => {
    creator = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    colleague = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('POST /contacts/nouveau with a new agency', () => {
    it('refuses data about a person in the new agency’s name, on that field, and keeps what was typed', async () => {
      const name = 'CCAS de Nantes M. Jean DUPONT né le 01/02/1980 NIR 180027512345678';
      const agencies = await Agency.countDocuments({});

      const res = await submitForm(creator, '/contacts/nouveau', '/contacts/nouveau', newAgencyForm({ newAgencyName: name, service: 'Pôle insertion' }));

      expect(res.status).to.equal(422);
      expect(res.text).to.include('secret professionnel');
      expect(res.text).to.match(/id="newAgencyName-error"[^>]*>[\s\S]{0,200}Nous y avons reconnu/);
      expect(res.text).to.match(/<a href="#newAgencyName">« Nom de l’organisme » : /);
      expect(res.text).to.include(`value="${name}"`);
      expect(res.text).to.include('value="Pôle insertion"');
      expect(await Agency.countDocuments({})).to.equal(agencies);
    });

    it('refuses data about a person in the new agency’s commune, on that field', async () => {
      const res = await submitForm(creator, '/contacts/nouveau', '/contacts/nouveau', newAgencyForm({ newAgencyCommune: 'Rezé, Mme Durand née le 03/04/1985' }));

      expect(res.status).to.equal(422);
      expect(res.text).to.match(/id="newAgencyCommune-error"/);
      expect(res.text).to.include('value="Rezé, Mme Durand née le 03/04/1985"');
    });

    it('keeps the new agency pending: its creator and the région’s moderators see it, other members get a 404 and no listing', async () => {
      const form = newAgencyForm();
      const { contactId, agencyId } = await propose(creator, form);
      await syncNow();

      const stored = (await Agency.findById(agencyId).lean())!;
      expect(stored.status).to.equal('pending');
      expect((await creator.get(`/contacts/${contactId}`)).status).to.equal(200);
      expect((await creator.get(`/organismes/${agencyId}`)).status).to.equal(200);
      expect((await moderator.get(`/organismes/${agencyId}`)).status).to.equal(200);
      const hidden = await colleague.get(`/organismes/${agencyId}`);
      expect(hidden.status).to.equal(404);
      expect(hidden.text).not.to.include(form.newAgencyName);
      for (const agent of [colleague, creator]) {
        expect((await agent.get('/organismes?departement=44')).text).not.to.include(form.newAgencyName);
        expect(await suggestions(agent, form.newAgencyName)).not.to.include(agencyId);
      }
      expect((await colleague.get(`/contacts/nouveau?departement=44&type=CCAS`)).text).not.to.include(form.newAgencyName);
    });

    it('never attaches a colleague to someone else’s pending agency: the same name gives them their own, and its id is refused', async () => {
      const form = newAgencyForm();
      const first = await propose(creator, form);

      const second = await propose(colleague, newAgencyForm({ newAgencyName: form.newAgencyName, newAgencyCommune: 'Bouguenais', phone1: displayNumber(nextFictionalNumber()) }));
      const byId = await submitForm(colleague, '/contacts/nouveau', '/contacts/nouveau', { ...newAgencyForm(), agencyMode: 'existing', agencyId: first.agencyId });

      expect(second.agencyId).not.to.equal(first.agencyId);
      expect((await Agency.findById(second.agencyId).lean())!.status).to.equal('pending');
      expect(byId.status).to.equal(422);
      expect(byId.text).to.include('Cet organisme n’existe pas ou plus');
      expect((await colleague.get(`/organismes/${first.agencyId}`)).status).to.equal(404);
    });
  });

  describe('moderation of the contact that created the agency', () => {
    it('shows « nouvel organisme » with its name and commune on the item page, and approving the contact publishes the agency', async () => {
      const form = newAgencyForm({ newAgencyCommune: 'Bouguenais-Centre' });
      const { contactId, agencyId } = await propose(creator, form);
      const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(contactId) }).lean();
      expect(await QueueItem.countDocuments({ status: 'open', targetId: new mongoose.Types.ObjectId(agencyId) })).to.equal(0);

      const page = await moderator.get(`/moderation/elements/${item!._id}`);
      await decide(moderator, contactId, { action: 'approve' });
      await syncNow();

      expect(item!.type).to.equal('new_contact');
      expect(page.text).to.include('Nouvel organisme');
      expect(page.text).to.include(form.newAgencyName);
      expect(page.text).to.include('Bouguenais-Centre');
      expect((await Agency.findById(agencyId).lean())!.status).to.equal('active');
      expect((await colleague.get(`/organismes/${agencyId}`)).status).to.equal(200);
      expect((await colleague.get('/organismes?departement=44')).text).to.include(form.newAgencyName);
      expect(await suggestions(colleague, form.newAgencyName)).to.include(agencyId);
      const found = await colleague.get(`/recherche?q=${encodeURIComponent(form.newAgencyName)}`).set('Accept', 'application/json');
      expect(found.body.hits.map((h: { id: string }) => h.id)).to.include(contactId);
    });

    it('leaves the agency unlisted when its contact is rejected', async () => {
      const form = newAgencyForm();
      const { contactId, agencyId } = await propose(creator, form);

      await decide(moderator, contactId, { action: 'reject', reasonCode: 'out_of_scope' });
      await syncNow();

      expect((await Agency.findById(agencyId).lean())!.status).to.not.equal('active');
      expect((await colleague.get(`/organismes/${agencyId}`)).status).to.equal(404);
      expect((await colleague.get('/organismes?departement=44')).text).not.to.include(form.newAgencyName);
      expect(await suggestions(colleague, form.newAgencyName)).not.to.include(agencyId);
    });
  });

  describe('agencies written before agencies had a state', () => {
    it('are active after the data migration', async () => {
      const _id = new mongoose.Types.ObjectId();
      await Agency.collection.insertOne({ _id, name: 'CAF ancienne', nameKey: 'caf ancienne', typeCode: 'CAF', level: 'DEPARTEMENTAL', departement: '44', region: '52' });
      await Setting.updateOne({ _id: 'data-version' }, { $set: { value: 2 } }, { upsert: true });

      await migrateData();

      expect((await Agency.findById(_id).lean())!.status).to.equal('active');
    });
  });
});
