import { expect } from 'chai';
import { memberPolicy } from '../../src/members/members.policy';
import { buildActor } from '../support/factories';

const actor = buildActor;

describe('members.policy', () => {
  describe('decide()', () => {
    const applicant = { id: 'x1', region: '52' };

    it('allows a moderator of the applicant’s région', () => {
      expect(memberPolicy.decide(actor({ role: 'moderator', moderatorRegions: ['52'] }), applicant)).to.equal(true);
    });

    it('refuses a moderator of another région', () => {
      expect(memberPolicy.decide(actor({ role: 'moderator', moderatorRegions: ['11'] }), applicant)).to.equal(false);
    });

    it('allows an admin anywhere but never about themselves', () => {
      const admin = actor({ role: 'admin', id: 'x1' });
      expect(memberPolicy.decide(actor({ role: 'admin' }), applicant)).to.equal(true);
      expect(memberPolicy.decide(admin, applicant)).to.equal(false);
    });

    it('refuses members, anonymous visitors and suspended moderators', () => {
      expect(memberPolicy.decide(actor(), applicant)).to.equal(false);
      expect(memberPolicy.decide(undefined, applicant)).to.equal(false);
      expect(memberPolicy.decide(actor({ role: 'moderator', moderatorRegions: ['52'], status: 'suspended' }), applicant)).to.equal(false);
    });
  });

  describe('changeRole()', () => {
    it('is for admins only and never on their own account', () => {
      expect(memberPolicy.changeRole(actor({ role: 'admin' }), { id: 'x1', region: '52' })).to.equal(true);
      expect(memberPolicy.changeRole(actor({ role: 'admin', id: 'x1' }), { id: 'x1', region: '52' })).to.equal(false);
      expect(memberPolicy.changeRole(actor({ role: 'moderator', moderatorRegions: ['52'] }), { id: 'x1', region: '52' })).to.equal(false);
    });
  });
});
