/**
 * A named agent is always informed (docs/agents.md): by the information e-mail,
 * or, without an address, as the author says on the add form. A named card with
 * neither is refused by the form and cannot be published.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { enqueue } from '../../src/inbox/queue';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { displayNumber as display } from '../support/factories';


describe('contacts — how a named agent is informed', () => {
  let member: Agent;
  let moderator: Agent;
  let agencyId: string;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    agencyId = String((await buildAgency({ name: 'MDPH de Loire-Atlantique', typeCode: 'MDPH' }))._id);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const named = (extra: Record<string, string> = {}) => ({
    agencyMode: 'existing', agencyId, kind: 'agent', agentFirstName: 'Sonia', agentLastName: 'M.', function: 'Référente insertion',
    phone1: display(nextFictionalNumber()), phone1Kind: 'direct', phone2Kind: 'direct', topics: 'AAH', ...extra,
  });

  it('asks on the form, offers the information text, and refuses a named card without e-mail or answer, keeping what was typed', async () => {
    const form = await member.get(`/contacts/nouveau?organisme=${agencyId}`);
    expect(form.text).to.include('Comment la personne est-elle informée ?').and.include('Lire le texte d’information').and.include('intérêt légitime');

    const refused = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', named({ tips: 'Demander le pôle adultes.' }));
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Dites comment la personne est informée').and.include('href="#agentInformed"');
    expect(refused.text).to.include('value="Sonia"').and.include('Demander le pôle adultes.');

    const byMail = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', named({ agentFirstName: 'Inès', email: `ines.m.${Date.now()}@mdph44.example` }));
    expect(byMail.status, 'an address is enough: the agent gets the e-mail').to.equal(303);
    const consent = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', named({ agentFirstName: 'Lina', agentInformed: 'consent' }));
    expect(consent.status).to.equal(303);
    const stored = await Contact.findById(String(consent.headers.location).split('/').pop()).lean<ContactDoc>();
    expect(stored?.agentInformed).to.equal('consent');
    const service = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing', agencyId, kind: 'service_line', service: 'Accueil', phone1: display(nextFictionalNumber()), phone1Kind: 'service', phone2Kind: 'direct', topics: 'AAH',
    });
    expect(service.status, 'a service line names nobody').to.equal(303);

    const item = await QueueItem.findOne({ status: 'open', contactId: stored!._id }).lean();
    const page = await moderator.get(`/moderation/elements/${item!._id}`);
    expect(page.text).to.include('sans e-mail : selon l’auteur, l’agent a donné son accord à l’auteur');
  });

  it('refuses to publish a named card with neither (409), and does not offer it for approval from the list', async () => {
    const author = await buildMember();
    const agency = await buildAgency({ name: 'CCAS de Nantes', typeCode: 'CCAS' });
    const card = await buildContact(agency, { kind: 'agent', agentFirstName: 'Luc', agentLastName: 'P.', state: 'pending', createdBy: author._id });
    const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: card._id, contactId: card._id, region: card.region, createdBy: String(author._id), reason: { code: 'new_contact', label: 'Nouveau contact proposé' } });
    const queue = await moderator.get('/moderation/file');
    expect(queue.text).to.include('Luc P.');
    expect(queue.text).to.not.include(`/moderation/elements/${item._id}/approuver`);

    const page = await moderator.get(`/moderation/elements/${item._id}`);
    expect(page.text).to.include('la fiche ne peut pas être publiée');
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const decided = await moderator.post(`/moderation/elements/${item._id}/decision`).type('form').send({ version, action: 'approve', _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] });
    expect(decided.status).to.equal(409);
    expect(decided.text).to.include('sans dire comment elle est informée');
    expect((await Contact.findById(card._id).lean<ContactDoc>())!.state).to.equal('pending');
    expect((await QueueItem.findById(item._id).lean())!.status).to.equal('open');
  });
});
