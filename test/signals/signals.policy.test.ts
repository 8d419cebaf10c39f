import { expect } from 'chai';
import type { Actor } from '../../src/core/policy';
import { signalPolicy } from '../../src/signals/signals.policy';
import { buildActor } from '../support/factories';

const member = buildActor({ id: 'm1' });
const author = buildActor({ id: 'author' });
const moderator52 = buildActor({ id: 'mod52', role: 'moderator', moderatorRegions: ['52'] });
const moderator11 = buildActor({ id: 'mod11', role: 'moderator', moderatorRegions: ['11'] });
const admin = buildActor({ id: 'adm', role: 'admin' });
const suspended = buildActor({ id: 's1', status: 'suspended' });
const pending = buildActor({ id: 'p1', status: 'pending' });
const unverified = buildActor({ id: 'u1', status: 'unverified' });
const rejected = buildActor({ id: 'r1', status: 'rejected' });
const suspendedAdmin = buildActor({ id: 'sadm', role: 'admin', status: 'suspended' });

const card = (state: string) => ({ state, createdBy: 'author' });
const VISIBLE = ['published', 'needs_check', 'restricted'];
const HIDDEN = ['pending', 'changes_requested', 'archived', 'rejected', 'merged', 'erased'];
const NOT_ACTIVE: Array<[string, Actor | undefined]> = [
  ['no actor', undefined],
  ['a suspended member', suspended],
  ['a pending applicant', pending],
  ['an unverified applicant', unverified],
  ['a rejected applicant', rejected],
  ['a suspended admin', suspendedAdmin],
];
/** The three signals a member sends about somebody else's line. */
const COLLEAGUE_SIGNALS = ['rate', 'confirm', 'call'] as const;

describe('signals.policy', () => {
  for (const name of COLLEAGUE_SIGNALS) {
    describe(`${name}()`, () => {
      it('allows any active account on a visible card it did not add: member, moderators of any région, admin', () => {
        for (const state of VISIBLE) {
          for (const a of [member, moderator52, moderator11, admin]) {
            expect(signalPolicy[name](a, card(state)), `${a.id} on ${state}`).to.equal(true);
          }
        }
      });

      it('refuses the card’s author, whatever their role', () => {
        for (const state of VISIBLE) {
          expect(signalPolicy[name](author, card(state)), state).to.equal(false);
          expect(signalPolicy[name]({ ...moderator52, id: 'author' }, card(state)), `moderator author on ${state}`).to.equal(false);
          expect(signalPolicy[name]({ ...admin, id: 'author' }, card(state)), `admin author on ${state}`).to.equal(false);
        }
      });

      it('refuses a card that is not visible, even to a moderator of its région or an admin', () => {
        for (const state of HIDDEN) {
          for (const a of [member, moderator52, admin]) {
            expect(signalPolicy[name](a, card(state)), `${a.id} on ${state}`).to.equal(false);
          }
        }
      });

      it('refuses anyone not active', () => {
        for (const [who, a] of NOT_ACTIVE) expect(signalPolicy[name](a, card('published')), who).to.equal(false);
      });
    });
  }

  it('rate() treats a card without an author as nobody’s: every active member may rate it', () => {
    expect(signalPolicy.rate(member, { state: 'published' })).to.equal(true);
  });

  describe('report()', () => {
    it('allows any active account on a visible card, its author included (« la personne est partie »)', () => {
      for (const state of VISIBLE) {
        for (const a of [member, author, moderator52, moderator11, admin]) {
          expect(signalPolicy.report(a, card(state)), `${a.id} on ${state}`).to.equal(true);
        }
      }
    });

    it('refuses a card that is not visible and anyone not active', () => {
      for (const state of HIDDEN) expect(signalPolicy.report(member, card(state)), state).to.equal(false);
      for (const [who, a] of NOT_ACTIVE) expect(signalPolicy.report(a, card('published')), who).to.equal(false);
    });
  });

  describe('recheck()', () => {
    it('allows the author of a published or « à vérifier » card', () => {
      expect(signalPolicy.recheck(author, card('published'))).to.equal(true);
      expect(signalPolicy.recheck(author, card('needs_check'))).to.equal(true);
      expect(signalPolicy.recheck({ ...moderator52, id: 'author' }, card('needs_check'))).to.equal(true);
    });

    it('refuses the author of a restricted card (the agent or a moderator decided it) and of a card in any other state', () => {
      for (const state of ['restricted', ...HIDDEN]) expect(signalPolicy.recheck(author, card(state)), state).to.equal(false);
    });

    it('refuses everyone but the author: a member, the région’s moderator, an admin', () => {
      for (const a of [member, moderator52, moderator11, admin]) expect(signalPolicy.recheck(a, card('needs_check')), a.id).to.equal(false);
    });

    it('refuses a suspended author and a card without an author', () => {
      expect(signalPolicy.recheck({ ...suspended, id: 'author' }, card('needs_check'))).to.equal(false);
      expect(signalPolicy.recheck(author, { state: 'needs_check' })).to.equal(false);
      expect(signalPolicy.recheck(undefined, card('needs_check'))).to.equal(false);
    });
  });
});
