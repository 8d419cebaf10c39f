import { expect } from 'chai';
import type { Actor } from '../../src/core/policy';
import { moderationPolicy } from '../../src/moderation/moderation.policy';
import { buildActor } from '../support/factories';

const moderator52 = buildActor({ id: 'mod52', role: 'moderator', moderatorRegions: ['52'] });
const moderatorOfTwo = buildActor({ id: 'mod2', role: 'moderator', moderatorRegions: ['11', '52'] });
const moderator11 = buildActor({ id: 'mod11', role: 'moderator', moderatorRegions: ['11'] });
const admin = buildActor({ id: 'adm', role: 'admin' });
const member = buildActor({ id: 'm1' });
const NOT_ALLOWED: Array<[string, Actor | undefined]> = [
  ['no actor', undefined],
  ['a member of the région', member],
  ['a moderator of another région', moderator11],
  ['a moderator with no région', buildActor({ id: 'mod0', role: 'moderator', moderatorRegions: [] })],
  ['a suspended moderator of the région', { ...moderator52, status: 'suspended' }],
  ['a suspended admin', { ...admin, status: 'suspended' }],
  ['a pending applicant', buildActor({ id: 'p1', status: 'pending' })],
];

/** A new-contact item of Pays de la Loire, queued by member « m1 ». */
const contactItem = { region: '52', createdBy: 'm1', targetType: 'contact', targetId: 'card1' };
/** An applicant's account, queued by the applicant. */
const memberItem = { region: '52', createdBy: 'applicant', targetType: 'member', targetId: 'applicant' };

describe('moderation.policy', () => {
  describe('view()', () => {
    it('allows the région’s moderators (one région or several) and admins', () => {
      for (const a of [moderator52, moderatorOfTwo, admin]) expect(moderationPolicy.view(a, contactItem), a.id).to.equal(true);
    });

    it('refuses members, moderators of another région and anyone not active', () => {
      for (const [who, a] of NOT_ALLOWED) expect(moderationPolicy.view(a, contactItem), who).to.equal(false);
    });

    it('lets a moderator see an item they created (seeing is not deciding)', () => {
      expect(moderationPolicy.view(moderator52, { ...contactItem, createdBy: 'mod52' })).to.equal(true);
    });
  });

  describe('decide()', () => {
    it('allows the région’s moderators and admins on what others created', () => {
      for (const a of [moderator52, moderatorOfTwo, admin]) {
        expect(moderationPolicy.decide(a, contactItem, 'm1'), `${a.id} on a card`).to.equal(true);
        expect(moderationPolicy.decide(a, memberItem), `${a.id} on an account`).to.equal(true);
      }
    });

    it('refuses members, moderators of another région and anyone not active', () => {
      for (const [who, a] of NOT_ALLOWED) expect(moderationPolicy.decide(a, contactItem, 'm1'), who).to.equal(false);
    });

    it('refuses an item the moderator created (their own report or suggestion), admins included', () => {
      expect(moderationPolicy.decide(moderator52, { ...contactItem, createdBy: 'mod52' }, 'm1')).to.equal(false);
      expect(moderationPolicy.decide(admin, { ...contactItem, createdBy: 'adm' }, 'm1')).to.equal(false);
    });

    it('refuses an item about a card the moderator wrote, even when someone else opened it', () => {
      expect(moderationPolicy.decide(moderator52, contactItem, 'mod52')).to.equal(false);
      expect(moderationPolicy.decide(admin, contactItem, 'adm')).to.equal(false);
    });

    it('refuses an item about the moderator’s own account', () => {
      const aboutThem = { region: '52', createdBy: 'system', targetType: 'member', targetId: 'mod52' };
      expect(moderationPolicy.decide(moderator52, aboutThem)).to.equal(false);
      expect(moderationPolicy.decide(moderatorOfTwo, aboutThem)).to.equal(true);
    });

    it('reads the target id as the member only for account items', () => {
      // A card whose id happens to equal the moderator's id is not "about themselves".
      expect(moderationPolicy.decide(moderator52, { ...contactItem, targetId: 'mod52' }, 'm1')).to.equal(true);
    });
  });
});
