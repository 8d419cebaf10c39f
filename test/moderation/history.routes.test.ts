import { expect } from 'chai';
import mongoose from 'mongoose';
import { recordEvent } from '../../src/audit/audit';
import { toActor } from '../../src/members/members.presenter';
import { type Agent, signedInAgent } from '../support/agent';
import { buildAdmin, buildAgency, buildContact, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('moderation.routes: a card’s moderation history', () => {
  let regionModerator: Agent;
  let moderatorElsewhere: Agent;
  let admin: Agent;
  let contactId: string;

  before(async () => {
    const decider = await buildModerator(['11'], { departement: '75', region: '11', firstName: 'Héloïse', lastName: 'Décideuse' });
    regionModerator = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);
    moderatorElsewhere = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    admin = await signedInAgent((await buildAdmin()).email, TEST_PASSWORD);
    const agency = await buildAgency({ name: 'CAF de Paris', departement: '75', region: '11', commune: 'Paris', postcode: '75011' });
    const contact = await buildContact(agency);
    contactId = String(contact._id);
    await recordEvent(toActor(decider), { action: 'contact.approve', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '11', changes: [{ field: 'state', before: 'pending', after: 'published' }] });
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('GET /moderation/contacts/:id/historique', () => {
    it('refuses a moderator of another région (52 reading a card of 11) and shows them no decision', async () => {
      const res = await moderatorElsewhere.get(`/moderation/contacts/${contactId}/historique`);

      expect(res.status).to.equal(403);
      expect(res.text).not.to.include('Décideuse');
      expect(res.text).not.to.include('contact.approve');
    });

    it('shows the history to the moderators of the card’s région', async () => {
      const res = await regionModerator.get(`/moderation/contacts/${contactId}/historique`);

      expect(res.status).to.equal(200);
      expect(res.text).to.match(/Héloïse D[^ ]* a publié la fiche\./);
      expect(res.text).to.include('état : en attente de vérification par la modération → publié.');
      expect(res.text).not.to.include('contact.approve');
      expect(res.text).not.to.include('pending');
    });

    it('shows the history to a national admin', async () => {
      const res = await admin.get(`/moderation/contacts/${contactId}/historique`);

      expect(res.status).to.equal(200);
      expect(res.text).to.include('a publié la fiche.');
    });
  });
});
