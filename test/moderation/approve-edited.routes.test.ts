import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { type Agent, csrfFrom, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildMember, buildModerator, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

/** A member's new contact, and its open item in the queue. */
async function proposed(member: Agent) {
  const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
  const phone1 = displayNumber(nextFictionalNumber());
  const added = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
    agencyMode: 'existing', agencyId: String(agency._id), kind: 'service_line', service: 'Service partenaires',
    phone1, phone1Kind: 'service', phone2Kind: 'direct', hours: 'Lun 9h–12h', topics: 'RSA',
  });
  const contactId = String(added.headers.location).split('/').pop()!;
  const item = await QueueItem.findOne({ status: 'open', type: 'new_contact', contactId: new mongoose.Types.ObjectId(contactId) }).lean();
  expect(item, 'open new_contact item').to.not.equal(null);
  return { contactId, itemId: String(item!._id), phone1 };
}

async function decide(moderator: Agent, itemId: string, fields: Record<string, string>) {
  const page = await moderator.get(`/moderation/elements/${itemId}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '1';
  const token = await csrfFrom(moderator, `/moderation/elements/${itemId}`);
  return moderator.post(`/moderation/elements/${itemId}/decision`).type('form').send({ version, _csrf: token, ...fields });
}

describe('moderation.routes: « Approuver après correction »', () => {
  let member: Agent;
  let moderator: Agent;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('publishes the card with the moderator’s corrections', async () => {
    const { contactId, itemId, phone1 } = await proposed(member);

    const res = await decide(moderator, itemId, {
      action: 'approve_edited', kind: 'service_line', service: 'Service partenaires', phone1, phone1Kind: 'service', phone2Kind: 'direct',
      hours: 'Mar–jeu 14h–16h', topics: 'RSA',
    });

    const contact = await Contact.findById(contactId).lean();
    expect(res.status).to.equal(303);
    expect(contact!.state).to.equal('published');
    expect(contact!.hours).to.equal('Mar–jeu 14h–16h');
  });

  it('checks the corrected card as a member’s edit is: the form comes back with the field’s message, nothing is published', async () => {
    const { contactId, itemId, phone1 } = await proposed(member);
    const fields = { action: 'approve_edited', service: 'Service partenaires', phone1, phone1Kind: 'service', phone2Kind: 'direct', topics: 'RSA' };

    const badEmail = await decide(moderator, itemId, { ...fields, kind: 'service_line', email: 'pas-une-adresse' });
    // The decision's own schema leaves the card's fields optional: the edit's schema asks for the kind.
    const noKind = await decide(moderator, itemId, fields);

    expect(badEmail.status).to.equal(422);
    expect(badEmail.text).to.include('Indiquez une adresse e-mail valide');
    expect(noKind.status).to.equal(422);
    expect(noKind.text).to.include('Indiquez s’il s’agit d’une personne nommée ou d’une ligne de service.');
    expect((await Contact.findById(contactId).lean())!.state).to.equal('pending');
  });
});
