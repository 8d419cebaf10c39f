import { expect } from 'chai';
import { contactPolicy } from '../../src/contacts/contacts.policy';
import { buildActor } from '../support/factories';

const actor = buildActor;

describe('contacts.policy', () => {
  describe('readHistory()', () => {
    const card = { state: 'published', region: '11', createdBy: 'm11' };

    it('allows the moderators of the card’s région, its author among them, and admins', () => {
      expect(contactPolicy.readHistory(actor({ id: 'x', role: 'moderator', moderatorRegions: ['11'] }), card)).to.equal(true);
      expect(contactPolicy.readHistory(actor({ id: 'm11', role: 'moderator', moderatorRegions: ['11'] }), card)).to.equal(true);
      expect(contactPolicy.readHistory(actor({ role: 'admin' }), card)).to.equal(true);
    });

    it('refuses a moderator of another région and members, even for a published card they may view', () => {
      expect(contactPolicy.view(actor({ role: 'moderator', moderatorRegions: ['52'] }), card)).to.equal(true);
      expect(contactPolicy.readHistory(actor({ role: 'moderator', moderatorRegions: ['52'] }), card)).to.equal(false);
      expect(contactPolicy.readHistory(actor(), card)).to.equal(false);
    });
  });
});
