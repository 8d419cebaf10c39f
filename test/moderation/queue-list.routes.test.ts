import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

/** A member adds a card through the form; returns its open queue item. */
async function propose(member: Agent, agencyId: string, fields: Record<string, string>) {
  const added = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
    agencyMode: 'existing',
    agencyId,
    kind: 'agent',
    agentInformed: 'consent',
    phone1: display(nextFictionalNumber()),
    phone1Kind: 'direct',
    phone2Kind: 'direct',
    topics: 'RSA',
    ...fields,
  });
  const contactId = String(added.headers.location).split('/').pop()!;
  const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(contactId) }).lean();
  expect(item, 'open item').to.not.equal(null);
  return { contactId, item: item! };
}

const quickForm = (page: string, itemId: string) => {
  const form = new RegExp(
    `action="/moderation/elements/${itemId}/approuver"[\\s\\S]*?name="_csrf" value="([^"]+)"[\\s\\S]*?name="version" value="(\\d+)"`,
  ).exec(page);
  return form ? { _csrf: form[1], version: form[2] } : undefined;
};

describe('moderation queue list', () => {
  let member: Agent;
  let moderator: Agent;
  let other: Agent;
  let elsewhere: Agent;
  let agencyId: string;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    other = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    elsewhere = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);
    agencyId = String((await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF' }))._id);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('titles a line with the agency and the person, and approves a plain new card from the list', async () => {
    const { contactId, item } = await propose(member, agencyId, { agentFirstName: 'Nathalie', agentLastName: 'Bertin', function: 'Référente RSA' });

    const queue = await moderator.get('/moderation/file');
    expect(queue.text).to.include('CAF de Loire-Atlantique — Nathalie B., Référente RSA');
    const form = quickForm(queue.text, String(item._id));
    expect(form, 'the approve-from-list form').to.not.equal(undefined);
    const res = await moderator.post(`/moderation/elements/${item._id}/approuver`).type('form').send(form!);

    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/moderation/file');
    expect((await Contact.findById(contactId).lean())?.state).to.equal('published');
    const after = await moderator.get('/moderation/file');
    expect(after.text).to.include('Fiche publiée : CAF de Loire-Atlantique — Nathalie B., Référente RSA.');
  });

  it('refuses to approve from the list a flagged card (it must be read) and offers no such form', async () => {
    const { contactId, item } = await propose(member, agencyId, {
      agentFirstName: 'Paul',
      agentLastName: 'Simon',
      function: 'Conseiller',
      tips: 'Rappeler Mme Durand pour son dossier',
    });

    const queue = await moderator.get('/moderation/file');
    expect(quickForm(queue.text, String(item._id))).to.equal(undefined);
    expect(queue.text).to.include('À vérifier : données personnelles possibles');
    const token = /name="_csrf" value="([^"]+)"/.exec(queue.text)![1];
    const res = await moderator
      .post(`/moderation/elements/${item._id}/approuver`)
      .type('form')
      .send({ _csrf: token, version: String(item.version) });

    expect(res.status).to.equal(303);
    expect((await moderator.get('/moderation/file')).text).to.include('Cet élément doit être lu avant d’être approuvé');
    expect((await Contact.findById(contactId).lean())?.state).to.equal('pending');
    const page = await moderator.get(`/moderation/elements/${item._id}`);
    expect(page.text).to.include('Rappeler <mark>Mme Durand</mark> pour son dossier');
  });

  it('answers « déjà traité » to the second of two moderators and changes nothing', async () => {
    const { item } = await propose(member, agencyId, { agentFirstName: 'Inès', agentLastName: 'Roux', function: 'Référente' });
    const formA = quickForm((await moderator.get('/moderation/file')).text, String(item._id))!;
    const formB = quickForm((await other.get('/moderation/file')).text, String(item._id))!;

    await moderator.post(`/moderation/elements/${item._id}/approuver`).type('form').send(formA);
    const res = await other.post(`/moderation/elements/${item._id}/approuver`).type('form').send(formB);

    expect(res.status).to.equal(303);
    expect((await other.get('/moderation/file')).text).to.match(/Déjà traité par/);
    expect((await QueueItem.findById(item._id).lean())?.resolution?.byName).to.not.equal(undefined);
  });

  it('refuses a stale version: the item changed since the list was shown', async () => {
    const { contactId, item } = await propose(member, agencyId, { agentFirstName: 'Léa', agentLastName: 'Petit', function: 'Référente' });
    const form = quickForm((await moderator.get('/moderation/file')).text, String(item._id))!;
    await QueueItem.updateOne({ _id: item._id }, { $inc: { version: 1 } });

    await moderator.post(`/moderation/elements/${item._id}/approuver`).type('form').send(form);

    expect((await moderator.get('/moderation/file')).text).to.include('a changé depuis que vous l’avez ouvert');
    expect((await Contact.findById(contactId).lean())?.state).to.equal('pending');
  });

  it('refuses a member (403) and a moderator of another région (403)', async () => {
    const { contactId, item } = await propose(member, agencyId, { agentFirstName: 'Yves', agentLastName: 'Marin', function: 'Référent' });
    const token = async (a: Agent) => /name="_csrf" value="([^"]+)"/.exec((await a.get('/recherche')).text)?.[1] ?? '';

    const asMember = await member
      .post(`/moderation/elements/${item._id}/approuver`)
      .type('form')
      .send({ _csrf: await token(member), version: String(item.version) });
    const asElsewhere = await elsewhere
      .post(`/moderation/elements/${item._id}/approuver`)
      .type('form')
      .send({ _csrf: await token(elsewhere), version: String(item.version) });

    expect(asMember.status).to.equal(403);
    expect(asElsewhere.status).to.equal(403);
    expect((await Contact.findById(contactId).lean())?.state).to.equal('pending');
  });

  it('filters by type and département with a plain GET form', async () => {
    await propose(member, agencyId, { agentFirstName: 'Zoé', agentLastName: 'Blanc', function: 'Référente' });

    const in44 = await moderator.get('/moderation/file?type=new_contact&departement=44');
    const in85 = await moderator.get('/moderation/file?type=new_contact&departement=85');

    expect(in44.text).to.include('Zoé B.');
    expect(in85.text).to.not.include('Zoé B.');
    expect(in85.text).to.include('<option value="85" selected>');
  });
});
