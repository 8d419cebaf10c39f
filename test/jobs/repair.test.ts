/**
 * No half-stored write (docs/contact-lifecycle.md): the database freezes
 * between two writes of one request — right after the card, right after the
 * confirmation — the member gets a French 503 that does not claim nothing was
 * saved, and the repair pass the server runs every two minutes finishes the
 * work: the card's queue item, the card's recomputed counters.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { noteUnfinished, unfinishedIds } from '../../src/core/unfinished';
import { runRepairs } from '../../src/jobs/repair';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { enqueueReview } from '../../src/contacts/contacts.service';
import { Agency, type AgencyDoc } from '../../src/agencies/agency.model';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { type Agent, csrfFrom, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { testServices } from '../support/services';

const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

/**
 * Freezes the database (SIGSTOP) the moment it has acknowledged the first
 * `command` on `collection` that `which` picks: what the request writes next fails. Resolves the
 * returned `thaw` once the database answers again.
 */
function freezeAfter(command: string, collection: string, which: (cmd: Record<string, unknown>) => boolean = () => true) {
  const client = mongoose.connection.getClient();
  const pid = testServices().database.process.child.pid!;
  const watched = new Set<number>();
  let frozen = false;
  const started = (e: CommandStartedEvent) => {
    if (e.commandName === command && (e.command as Record<string, unknown>)[command] === collection && which(e.command as Record<string, unknown>))
      watched.add(e.requestId);
  };
  const succeeded = (e: CommandSucceededEvent) => {
    if (frozen || !watched.has(e.requestId)) return;
    frozen = true;
    // Synchronous, inside the driver's reply handling: the request cannot send its next command first.
    process.kill(pid, 'SIGSTOP');
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  return {
    get frozen() {
      return frozen;
    },
    async thaw() {
      client.off('commandStarted', started);
      client.off('commandSucceeded', succeeded);
      if (frozen) process.kill(pid, 'SIGCONT');
      for (let i = 0; i < 100; i++) {
        const ok = await mongoose.connection
          .db!.admin()
          .ping()
          .then(
            () => true,
            () => false,
          );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('database did not come back');
    },
  };
}

describe('jobs/repair', function () {
  this.timeout(120_000);
  let member: Agent;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('a new contact whose queue item could not be written (database frozen after the card) is put in front of moderators by the next repair pass', async () => {
    const agency = await buildAgency({ name: 'CAF coupure' });
    const token = await csrfFrom(member, '/contacts/nouveau');
    const fault = freezeAfter('insert', 'contacts', (cmd) => JSON.stringify(cmd.documents).includes('Cellule coupure'));
    let answer;
    try {
      answer = await member
        .post('/contacts/nouveau')
        .type('form')
        .send({
          _csrf: token,
          agencyMode: 'existing',
          agencyId: String(agency._id),
          kind: 'service_line',
          service: 'Cellule coupure',
          phone1: display(nextFictionalNumber()),
          phone1Kind: 'service',
          phone2Kind: 'direct',
          topics: 'RSA',
        });
    } finally {
      await fault.thaw();
    }
    const card = await Contact.findOne({ service: 'Cellule coupure' }).lean<ContactDoc>();
    const itemsBefore = await QueueItem.countDocuments({ contactId: card?._id });
    const noted = (await unfinishedIds('review')).map(String);

    const repaired = await runRepairs({ everything: true });

    expect(fault.frozen).to.equal(true);
    expect(answer.status).to.equal(503);
    expect(answer.text).to.include('il a pu être enregistré en partie');
    expect(answer.text).not.to.include('rien de ce que vous avez saisi');
    expect(card, 'the card was stored before the freeze').to.not.equal(null);
    expect(itemsBefore).to.equal(0);
    expect(noted).to.include(String(card!._id));
    expect(repaired).to.be.greaterThan(0);
    const item = await QueueItem.findOne({ status: 'open', contactId: card!._id }).lean();
    expect(item?.type).to.equal('new_contact');
    expect((await unfinishedIds('review')).map(String)).not.to.include(String(card!._id));
    // A second pass finds nothing more to do.
    expect(await runRepairs({ everything: true })).to.equal(0);
  });

  it('a confirmation stored before the database froze gets its counters recomputed by the repair pass', async () => {
    // On a loaded machine the request may still finish its own recomputation after the thaw (its deadline
    // answered first): that attempt proves nothing, so the fault is tried again on a fresh card, up to three times.
    let bit: { answer: number; before: number; noted: boolean; after: number; cleared: boolean } | undefined;
    for (let attempt = 0; attempt < 3 && !bit; attempt++) {
      const card = await buildContact(await buildAgency({ name: `CPAM coupure ${attempt}`, typeCode: 'CPAM' }));
      const token = await csrfFrom(member, `/contacts/${card._id}`);
      const fault = freezeAfter('update', 'confirmations');
      let answer;
      try {
        answer = await member.post(`/contacts/${card._id}/confirmation`).type('form').send({ _csrf: token, kind: 'works' });
      } finally {
        await fault.thaw();
      }
      expect(fault.frozen).to.equal(true);
      expect(answer.status).to.equal(503);
      const before = (await Contact.findById(card._id).lean<ContactDoc>())!;
      const noted = (await unfinishedIds('signals')).map(String).includes(String(card._id));
      if (before.counters!.confirmations !== 0) continue;

      await runRepairs({ everything: true });
      const after = (await Contact.findById(card._id).lean<ContactDoc>())!;
      const cleared = !(await unfinishedIds('signals')).map(String).includes(String(card._id));
      bit = { answer: answer.status, before: before.counters!.confirmations, noted, after: after.counters!.confirmations, cleared };
    }

    expect(bit, 'the freeze never left a confirmation without its recomputation').to.not.equal(undefined);
    expect(bit).to.deep.equal({ answer: 503, before: 0, noted: true, after: 1, cleared: true });
  });

  it('a publication cut off after the card’s write gets its new agency approved and its agent informed by the repair pass', async () => {
    const agency = await buildAgency({ name: 'Mission locale coupure', status: 'pending' });
    const email = `agent.coupure.${Date.now()}@ml-test.fr`;
    const card = await buildContact(agency, {
      state: 'pending',
      kind: 'agent',
      agentFirstName: 'Coupure',
      agentLastName: 'P.',
      email,
      createdBy: (await buildMember())._id,
    });
    await enqueueReview(card);
    const moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    const item = (await QueueItem.findOne({ status: 'open', contactId: card._id }).lean())!;
    const page = await moderator.get(`/moderation/elements/${item._id}`);
    const form = { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], version: /name="version" value="(\d+)"/.exec(page.text)![1], action: 'approve' };
    clearCaughtMails();
    const fault = freezeAfter('findAndModify', 'contacts', (cmd) => JSON.stringify(cmd.update ?? {}).includes('"published"'));
    let answer;
    try {
      answer = await moderator.post(`/moderation/elements/${item._id}/decision`).type('form').send(form);
    } finally {
      await fault.thaw();
    }
    const published = (await Contact.findById(card._id).lean<ContactDoc>())!;
    const agencyBefore = (await Agency.findById(agency._id).lean<AgencyDoc>())!;

    await runRepairs({ everything: true });
    const agencyAfter = (await Agency.findById(agency._id).lean<AgencyDoc>())!;
    const informed = (await Contact.findById(card._id).lean<ContactDoc>())!;

    expect(fault.frozen).to.equal(true);
    expect(answer.status).to.equal(503);
    expect(published.state).to.equal('published');
    expect(agencyBefore.status).to.equal('pending');
    expect(agencyAfter.status).to.equal('active');
    expect(informed.agentInformedAt).to.be.instanceOf(Date);
    expect((await waitForMail(email)).text).to.include('/opposition');
    expect((await unfinishedIds('publication')).map(String)).not.to.include(String(card._id));
  });

  it('leaves a note alone for one pass (a request may still be finishing it), then repairs it', async () => {
    const card = await buildContact(await buildAgency({ name: 'MDPH note', typeCode: 'MDPH' }), { state: 'pending' });
    await runRepairs();
    await noteUnfinished('review', card._id);

    const first = await runRepairs();
    const itemsAfterFirst = await QueueItem.countDocuments({ contactId: card._id });
    const second = await runRepairs();

    expect(first).to.equal(0);
    expect(itemsAfterFirst).to.equal(0);
    expect(second).to.equal(1);
    expect(await QueueItem.countDocuments({ status: 'open', contactId: card._id })).to.equal(1);
  });
});
