import { expect } from 'chai';
import { agencyPolicy } from '../../src/agencies/agencies.policy';
import { buildActor } from '../support/factories';

const actor = buildActor;

describe('agencies.policy', () => {
  const pending = { status: 'pending', region: '52', createdBy: 'creator' };
  const active = { status: 'active', region: '52', createdBy: 'creator' };
  const creator = actor({ id: 'creator' });
  const colleague = actor({ id: 'colleague' });
  const moderator = actor({ id: 'm52', role: 'moderator', moderatorRegions: ['52'] });
  const moderatorElsewhere = actor({ id: 'm11', role: 'moderator', moderatorRegions: ['11'], region: '11', departement: '75' });
  const admin = actor({ id: 'admin', role: 'admin', region: '11', departement: '75' });

  describe('view()', () => {
    it('shows an active agency to every active member', () => {
      expect(agencyPolicy.view(colleague, active)).to.equal(true);
      expect(agencyPolicy.view(actor({ status: 'pending' }), active)).to.equal(false);
    });

    it('shows a pending or rejected agency to its creator, its région’s moderators and admins only', () => {
      for (const a of [pending, { ...pending, status: 'rejected' }]) {
        expect([creator, moderator, admin].map((x) => agencyPolicy.view(x, a))).to.deep.equal([true, true, true]);
        expect([colleague, moderatorElsewhere].map((x) => agencyPolicy.view(x, a))).to.deep.equal([false, false]);
      }
    });
  });

  describe('attach()', () => {
    it('lets anyone use an active agency, and a pending one only its creator and its région’s moderators', () => {
      expect(agencyPolicy.attach(colleague, active)).to.equal(true);
      expect([creator, moderator, colleague, moderatorElsewhere].map((x) => agencyPolicy.attach(x, pending))).to.deep.equal([true, true, false, false]);
    });

    it('never uses a rejected or closed agency', () => {
      for (const status of ['rejected', 'closed']) expect(agencyPolicy.attach(creator, { ...active, status })).to.equal(false);
    });
  });

  describe('approve()', () => {
    it('is for the région’s moderators and admins', () => {
      expect([moderator, admin, moderatorElsewhere, creator].map((x) => agencyPolicy.approve(x, pending))).to.deep.equal([true, true, false, false]);
    });
  });
});
