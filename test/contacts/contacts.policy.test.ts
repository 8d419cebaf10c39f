import { expect } from 'chai';
import { contactPolicy, contactPolicyMap } from '../../src/contacts/contacts.policy';
import { buildActor } from '../support/factories';

const actor = buildActor;

const member = actor({ id: 'm1' });
const author = actor({ id: 'author' });
const moderator52 = actor({ id: 'mod52', role: 'moderator', moderatorRegions: ['52'] });
const moderator11 = actor({ id: 'mod11', role: 'moderator', moderatorRegions: ['11'] });
const admin = actor({ id: 'adm', role: 'admin' });
const suspended = actor({ id: 's1', status: 'suspended' });
const pendingApplicant = actor({ id: 'p1', status: 'pending' });
/** A card of Pays de la Loire (52) written by « author ». */
const card = (state: string) => ({ state, region: '52', createdBy: 'author' });
const VISIBLE = ['published', 'needs_check', 'restricted'];
const IN_REVIEW = ['pending', 'changes_requested'];
const CLOSED = ['archived', 'rejected', 'merged', 'erased'];

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

  describe('propose()', () => {
    it('allows any active account and refuses the others', () => {
      for (const a of [member, moderator52, admin]) expect(contactPolicy.propose(a), a.id).to.equal(true);
      for (const a of [undefined, suspended, pendingApplicant, actor({ status: 'unverified' }), actor({ status: 'rejected' })]) {
        expect(contactPolicy.propose(a), a?.status ?? 'no actor').to.equal(false);
      }
    });
  });

  describe('view()', () => {
    it('shows a visible card to every active account, whatever its région', () => {
      for (const state of VISIBLE) {
        for (const a of [member, moderator11, moderator52, admin]) expect(contactPolicy.view(a, card(state)), `${a.id} on ${state}`).to.equal(true);
      }
    });

    it('shows a card in review to its author and the région’s moderators only', () => {
      for (const state of IN_REVIEW) {
        expect(contactPolicy.view(author, card(state)), `author on ${state}`).to.equal(true);
        expect(contactPolicy.view(moderator52, card(state)), `moderator on ${state}`).to.equal(true);
        expect(contactPolicy.view(admin, card(state)), `admin on ${state}`).to.equal(true);
        expect(contactPolicy.view(member, card(state)), `member on ${state}`).to.equal(false);
        expect(contactPolicy.view(moderator11, card(state)), `other région on ${state}`).to.equal(false);
      }
    });

    it('shows its author a rejected card, but no other closed card; the région’s moderators see them all', () => {
      expect(contactPolicy.view(author, card('rejected'))).to.equal(true);
      for (const state of ['archived', 'merged', 'erased']) expect(contactPolicy.view(author, card(state)), state).to.equal(false);
      for (const state of CLOSED) {
        expect(contactPolicy.view(moderator52, card(state)), state).to.equal(true);
        expect(contactPolicy.view(member, card(state)), state).to.equal(false);
        expect(contactPolicy.view(moderator11, card(state)), state).to.equal(false);
      }
    });

    it('shows nothing to an account that is not active, not even its own card', () => {
      for (const a of [undefined, suspended, { ...author, status: 'suspended' as const }, { ...moderator52, status: 'suspended' as const }]) {
        expect(contactPolicy.view(a, card('published'))).to.equal(false);
        expect(contactPolicy.view(a, card('pending'))).to.equal(false);
      }
    });
  });

  describe('seePersonalDetails()', () => {
    it('hides the agent’s name and direct lines of a restricted card from everyone but the région’s moderators', () => {
      const restricted = card('restricted');
      expect(contactPolicy.seePersonalDetails(moderator52, restricted)).to.equal(true);
      expect(contactPolicy.seePersonalDetails(admin, restricted)).to.equal(true);
      for (const a of [member, author, moderator11, undefined]) expect(contactPolicy.seePersonalDetails(a, restricted), a?.id ?? 'no actor').to.equal(false);
    });

    it('does not hide them on a card that is not restricted', () => {
      for (const state of ['published', 'needs_check', 'pending']) expect(contactPolicy.seePersonalDetails(member, card(state)), state).to.equal(true);
    });
  });

  describe('suggestEdit()', () => {
    it('allows any active account on a published or « à vérifier » card, its author included', () => {
      for (const state of ['published', 'needs_check']) {
        for (const a of [member, author, moderator11, admin]) expect(contactPolicy.suggestEdit(a, card(state)), `${a.id} on ${state}`).to.equal(true);
      }
    });

    it('refuses a restricted card, a card in review or closed, and accounts not active', () => {
      for (const state of ['restricted', ...IN_REVIEW, ...CLOSED]) expect(contactPolicy.suggestEdit(member, card(state)), state).to.equal(false);
      expect(contactPolicy.suggestEdit(moderator52, card('restricted'))).to.equal(false);
      for (const a of [undefined, suspended, pendingApplicant]) expect(contactPolicy.suggestEdit(a, card('published'))).to.equal(false);
    });
  });

  describe('editOwnDraft()', () => {
    it('lets the author edit their card while it is in review', () => {
      for (const state of IN_REVIEW) expect(contactPolicy.editOwnDraft(author, card(state)), state).to.equal(true);
    });

    it('refuses once the card left review, anyone but its author, and a suspended author', () => {
      for (const state of [...VISIBLE, ...CLOSED]) expect(contactPolicy.editOwnDraft(author, card(state)), state).to.equal(false);
      for (const a of [member, moderator52, admin]) expect(contactPolicy.editOwnDraft(a, card('pending')), a.id).to.equal(false);
      expect(contactPolicy.editOwnDraft({ ...author, status: 'suspended' }, card('pending'))).to.equal(false);
      expect(contactPolicy.editOwnDraft(author, { state: 'pending', region: '52' })).to.equal(false);
    });
  });

  describe('moderate()', () => {
    it('allows the région’s moderators and admins', () => {
      for (const a of [moderator52, actor({ id: 'mod2', role: 'moderator', moderatorRegions: ['11', '52'] }), admin]) {
        expect(contactPolicy.moderate(a, card('pending')), a.id).to.equal(true);
      }
    });

    it('refuses a moderator or an admin who wrote the card', () => {
      expect(contactPolicy.moderate({ ...moderator52, id: 'author' }, card('pending'))).to.equal(false);
      expect(contactPolicy.moderate({ ...admin, id: 'author' }, card('published'))).to.equal(false);
    });

    it('refuses members, moderators of another région and suspended moderators', () => {
      for (const a of [member, author, moderator11, { ...moderator52, status: 'suspended' as const }, { ...admin, status: 'suspended' as const }, undefined]) {
        expect(contactPolicy.moderate(a, card('pending')), a?.id ?? 'no actor').to.equal(false);
      }
    });
  });

  describe('contactPolicyMap()', () => {
    it('gives templates the four answers of the policy for the actor and card', () => {
      expect(contactPolicyMap(author, card('pending'))).to.deep.equal({ suggestEdit: false, editOwnDraft: true, moderate: false, seePersonalDetails: true });
      expect(contactPolicyMap(moderator52, card('restricted'))).to.deep.equal({
        suggestEdit: false,
        editOwnDraft: false,
        moderate: true,
        seePersonalDetails: true,
      });
      expect(contactPolicyMap(member, card('restricted'))).to.deep.equal({
        suggestEdit: false,
        editOwnDraft: false,
        moderate: false,
        seePersonalDetails: false,
      });
      expect(contactPolicyMap(member, card('published'))).to.deep.equal({ suggestEdit: true, editOwnDraft: false, moderate: false, seePersonalDetails: true });
    });
  });
});
