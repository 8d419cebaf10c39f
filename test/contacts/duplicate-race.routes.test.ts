/**
 * Two members add the same number at the same moment: the duplicate check and
 * the insert run under a lock on the number (core/mutex.ts), so one card is
 * created and the other member is shown it as a duplicate, every time.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { withLocks, LockBusy } from '../../src/core/mutex';
import { type Agent, csrfFrom, signedInAgent } from '../support/agent';
import { buildAgency, buildMember, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const RUNS = 8;

describe('duplicates under a race', function () {
  this.timeout(120_000);
  let a: { agent: Agent; token: string };
  let b: { agent: Agent; token: string };
  let agencyId: string;

  before(async () => {
    const signIn = async () => {
      const agent = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
      return { agent, token: await csrfFrom(agent, '/contacts/nouveau') };
    };
    a = await signIn();
    b = await signIn();
    agencyId = String((await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' }))._id);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it(`${RUNS} times, two members posting the same number at once: one card, the other told it is a duplicate`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const e164 = nextFictionalNumber();
      const post = (m: { agent: Agent; token: string }, last: string) =>
        m.agent.post('/contacts/nouveau').type('form').send({
          _csrf: m.token,
          agencyMode: 'existing',
          agencyId,
          kind: 'agent',
          agentInformed: 'consent',
          agentLastName: last,
          function: 'Conseiller',
          phone1: displayNumber(e164),
          phone1Kind: 'direct',
          phone2Kind: 'direct',
          topics: 'CSS',
        });

      const answers = await Promise.all([post(a, `Alpha${run}`), post(b, `Bravo${run}`)]);

      expect(answers.map((r) => r.status).sort(), `run ${run}`).to.deep.equal([303, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.text).to.include('Ce numéro figure déjà dans l’annuaire');
      expect(await Contact.countDocuments({ phoneKeys: e164 }), `run ${run}`).to.equal(1);
    }
  });

  it('lets a lock held by a crashed request go once its time is up, and refuses while it is held', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const held = withLocks(['test:held'], async () => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    await inside;
    let busy: unknown;
    await withLocks(['test:held'], async () => undefined, { waitMs: 100 }).catch((err: unknown) => (busy = err));
    await held;
    expect(busy).to.be.instanceOf(LockBusy);

    // A holder that never released: its deadline passed, the next caller takes it over.
    await mongoose.connection.collection('locks').insertOne({ _id: 'test:crashed' as never, owner: 'gone', until: new Date(Date.now() - 1000) });
    expect(await withLocks(['test:crashed'], async () => 'taken over', { waitMs: 100 })).to.equal('taken over');
    expect(await mongoose.connection.collection('locks').countDocuments({ _id: { $in: ['test:held', 'test:crashed'] as never[] } })).to.equal(0);
  });
});
