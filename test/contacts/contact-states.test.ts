/**
 * The lifecycle table, walked whole: every (state, actor, action) is tried
 * through the one function that changes a state, against the real database.
 * What the table allows lands in the state it names, with an audit event;
 * everything else is refused and leaves the card exactly as it was.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import {
  allows,
  CONTACT_STATES,
  STATE_ACTORS,
  type ContactState,
  findTransition,
  type StateAction,
  type StateActor,
  TRANSITIONS,
} from '../../src/contacts/contact-states';
import { changeState } from '../../src/contacts/contact-store';
import { AppError } from '../../src/core/errors';
import { contactEvents } from '../../src/audit/audit';
import { buildAgency, buildContact } from '../support/factories';

const ACTORS: readonly StateActor[] = STATE_ACTORS;
const ACTIONS = [...new Set(TRANSITIONS.map((t) => t.action))] as StateAction[];

describe('contacts/contact-states', () => {
  it('holds no rule that lets a computed actor (signals, jobs) leave a decided state or lift a restriction', () => {
    const decided: ContactState[] = ['archived', 'rejected', 'merged', 'erased', 'restricted', 'pending', 'changes_requested'];
    for (const by of ['signals', 'job'] as const) {
      for (const from of decided) for (const to of CONTACT_STATES) if (to !== from) expect(allows(by, from, to), `${by}: ${from} → ${to}`).to.equal(false);
    }
  });

  it('walks every (state, actor, action): allowed ones land where the table says with an audit event, forbidden ones are refused and change nothing', async function () {
    this.timeout(120_000);
    const agency = await buildAgency();
    let allowed = 0;
    let refused = 0;
    for (const state of CONTACT_STATES) {
      // One card per state takes every refusal; each allowed change gets a fresh card.
      const witness = await buildContact(agency, { state });
      for (const by of ACTORS) {
        for (const action of ACTIONS) {
          const rules = TRANSITIONS.filter((t) => t.by === by && t.action === action && t.from.includes(state));
          if (!rules.length) {
            const err = await changeState(witness, { by, action }).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(err, `${state} × ${by} × ${action} must be refused`).to.be.instanceOf(AppError);
            expect((err as AppError).code).to.equal('transition_refused');
            expect((err as AppError).status).to.equal(409);
            refused++;
            continue;
          }
          for (const rule of rules) {
            const card = await buildContact(agency, { state });
            const { after } = await changeState(card, { by, action, to: rule.to, audit: { actor: undefined, action: 'contact.archive' } });
            expect(after.state, `${state} × ${by} × ${action}`).to.equal(rule.to);
            expect(after.revision).to.equal(card.revision + 1);
            const events = await contactEvents(card._id);
            expect(events.map((e) => [e.action, e.changes?.[0]?.before, e.changes?.[0]?.after])).to.deep.equal([['contact.archive', state, rule.to]]);
            allowed++;
          }
        }
      }
      const unchanged = (await Contact.findById(witness._id).lean<ContactDoc>())!;
      expect(unchanged.state).to.equal(state);
      expect(unchanged.revision).to.equal(witness.revision);
      expect(await contactEvents(witness._id)).to.deep.equal([]);
    }
    process.stdout.write(`      ${allowed} allowed transitions applied, ${refused} forbidden (state, actor, action) refused\n`);
    expect(allowed).to.equal(TRANSITIONS.reduce((n, t) => n + t.from.length, 0));
    expect(allowed + refused).to.be.greaterThan(CONTACT_STATES.length * ACTORS.length * ACTIONS.length - 1);
  });

  it('writes only on the card as read: a change based on a stale read of a card in review is refused, nothing written, no audit event', async () => {
    const card = await buildContact(await buildAgency(), { state: 'pending' });
    await Contact.updateOne({ _id: card._id }, { $set: { service: 'Modifié entre-temps' }, $inc: { revision: 1 } });

    const err = await changeState(card, { by: 'moderator', action: 'publish', audit: { actor: undefined, action: 'contact.approve' } }).catch(
      (e: unknown) => e,
    );

    expect((err as AppError).code).to.equal('already_decided');
    expect((await Contact.findById(card._id).lean<ContactDoc>())!.state).to.equal('pending');
    expect(await contactEvents(card._id)).to.deep.equal([]);
  });

  it('re-applies a decision on a live card whose only change since the read was a signal, and refuses once the state left the rule', async () => {
    const agency = await buildAgency();
    const card = await buildContact(agency);
    await Contact.updateOne({ _id: card._id }, { $set: { quality: 0.5 }, $inc: { revision: 1 } });
    const { after } = await changeState(card, { by: 'moderator', action: 'archive' });

    const gone = await buildContact(agency);
    await Contact.updateOne({ _id: gone._id }, { $set: { state: 'archived' }, $inc: { revision: 1 } });
    const err = await changeState(gone, { by: 'signals', action: 'flag' }).catch((e: unknown) => e);

    expect(after.state).to.equal('archived');
    expect((err as AppError).code).to.equal('already_decided');
    expect((await Contact.findById(gone._id).lean<ContactDoc>())!.state).to.equal('archived');
  });

  it('refuses to make an objected card visible again, even through a transition the table holds', async () => {
    const card = await buildContact(await buildAgency(), { state: 'restricted', objectedAt: new Date() });
    const err = await changeState(card, { by: 'moderator', action: 'verify' }).catch((e: unknown) => e);

    expect(findTransition('moderator', 'verify', 'restricted')).to.not.equal(undefined);
    expect((err as AppError).code).to.equal('transition_refused');
    expect((err as AppError).message).to.include('L’agent s’est opposé');
    expect((await Contact.findById(card._id).lean<ContactDoc>())!.state).to.equal('restricted');
  });

  it('refuses a card that no longer exists', async () => {
    const ghost = { ...(await buildContact(await buildAgency())), _id: new Types.ObjectId() } as ContactDoc;
    const err = await changeState(ghost, { by: 'moderator', action: 'archive' }).catch((e: unknown) => e);
    expect((err as AppError).status).to.equal(409);
  });
});
