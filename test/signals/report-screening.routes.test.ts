import { expect } from 'chai';
import mongoose from 'mongoose';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { Rating, Report } from '../../src/signals/signal.models';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

const openItemOf = (contactId: unknown) =>
  QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(String(contactId)) }).lean();

describe('screening of reports and accounts', () => {
  let member: Agent;
  let moderator: Agent;
  let agency: Awaited<ReturnType<typeof buildAgency>>;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    agency = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF' });
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('flags a report naming a person helped: the queue line hides the text, the item highlights it, flagged first', async () => {
    const plain = await buildContact(agency, { state: 'published', kind: 'agent', agentFirstName: 'Anne', agentLastName: 'Morel' });
    const named = await buildContact(agency, { state: 'published', kind: 'agent', agentFirstName: 'Nathalie', agentLastName: 'Bertin' });
    await submitForm(member, `/contacts/${plain._id}/signaler`, `/contacts/${plain._id}/signaler`, { kind: 'other', text: 'Le poste ne répond plus le matin' });
    const res = await submitForm(member, `/contacts/${named._id}/signaler`, `/contacts/${named._id}/signaler`, {
      kind: 'other',
      text: 'Mme Durand attend sa réponse depuis 3 mois',
    });
    expect(res.status).to.equal(303);

    const report = await Report.findOne({ contactId: named._id }).lean();
    expect(report?.screeningFlags.map((f) => f.kind)).to.deep.equal(['civility_name']);
    const item = (await openItemOf(named._id))!;
    expect(item.screeningFlags.map((f) => f.kind)).to.deep.equal(['civility_name']);

    const queue = await moderator.get('/moderation/file?type=report');
    expect(queue.text).to.not.include('Mme Durand');
    expect(queue.text).to.include('à vérifier : nom de personne possible (Précisions du signalement)');
    expect(queue.text).to.include('« Le poste ne répond plus le matin »');
    // Within the same type, the flagged report comes first.
    expect(queue.text.indexOf('Nathalie B.')).to.be.lessThan(queue.text.indexOf('Anne M.'));

    const page = await moderator.get(`/moderation/elements/${item._id}`);
    expect(page.text).to.include('« <mark>Mme Durand</mark> attend sa réponse depuis 3 mois »');
    expect(page.text).to.include('nom de personne possible (Précisions du signalement)');
  });

  it('does not flag a report naming the listed agent, and still blocks a person’s phone number', async () => {
    const card = await buildContact(agency, { state: 'published', kind: 'agent', agentFirstName: 'Claire', agentLastName: 'Bernard' });
    const blocked = await submitForm(member, `/contacts/${card._id}/signaler`, `/contacts/${card._id}/signaler`, {
      kind: 'other',
      text: 'Elle a donné le 06 12 34 56 78 de la famille',
    });
    expect(blocked.status).to.equal(422);
    expect(blocked.text).to.include('secret professionnel');
    expect(blocked.text).to.include('Elle a donné le 06 12 34 56 78 de la famille');
    expect(await Report.countDocuments({ contactId: card._id })).to.equal(0);

    await submitForm(member, `/contacts/${card._id}/signaler`, `/contacts/${card._id}/signaler`, { kind: 'person_left', text: 'Mme Bernard est partie en retraite' });
    expect((await Report.findOne({ contactId: card._id }).lean())?.screeningFlags).to.deep.equal([]);
    expect((await openItemOf(card._id))?.screeningFlags).to.deep.equal([]);
  });

  it('flags an account naming a person helped and highlights it for the moderator', async () => {
    const card = await buildContact(agency, { state: 'published', kind: 'agent', agentFirstName: 'Hugo', agentLastName: 'Lemoine' });
    const res = await submitForm(member, `/contacts/${card._id}/utile`, `/contacts/${card._id}/utile`, {
      useful: 'oui',
      account: 'Il a débloqué le RSA de M. Karim en deux jours',
    });
    expect(res.status).to.equal(303);

    const rating = await Rating.findOne({ contactId: card._id }).lean();
    expect(rating?.screeningFlags.map((f) => f.kind)).to.include('civility_name');
    const item = (await openItemOf(card._id))!;
    expect(item.type).to.equal('account');
    const page = await moderator.get(`/moderation/elements/${item._id}`);
    expect(page.text).to.include('<mark>M. Karim</mark>');
  });
});
