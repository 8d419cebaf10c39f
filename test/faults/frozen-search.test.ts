/**
 * The shared test Meilisearch is frozen (SIGSTOP) while an agent confirms an
 * objection and members search: the confirmation answers once the database
 * write is done (the index push is left to the sync, which catches up after
 * SIGCONT), and searches answer degraded. Timings printed, not asserted.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { flushSearchSync, syncNow } from '../../src/search/indexer';
import { newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { testServices } from '../support/services';

describe('frozen search engine', function () {
  this.timeout(90_000);

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('confirms an objection and answers searches while Meilisearch is frozen, and the index catches up after', async () => {
    clearCaughtMails();
    const agency = await buildAgency({ name: 'MDPH de Loire-Atlantique', typeCode: 'MDPH' });
    const email = `gel.${Date.now()}@mdph-test.fr`;
    const direct = nextFictionalNumber();
    const contact = await buildContact(agency, { kind: 'agent', agentFirstName: 'Gisèle', agentLastName: 'G.', email, phones: [{ e164: direct, kind: 'direct', numberType: 'fixed' }], phoneKeys: [direct] });
    await syncNow();
    const member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    const visitor = newAgent();
    await submitForm(visitor, '/opposition', '/opposition', { email, reference: '' });
    const link = /https?:\/\/[^/\s]+(\/opposition\/confirmer\/[A-Za-z0-9_-]+)/.exec((await waitForMail(email, /Confirmez votre opposition/)).text)![1];
    const page = await visitor.get(link);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];

    const meili = testServices().search.process.child;
    meili.kill('SIGSTOP');
    let confirmed;
    let search;
    let confirmMs: number | undefined;
    let searchMs: number | undefined;
    try {
      const t0 = Date.now();
      confirmed = await visitor.post(link).type('form').send({ _csrf: token }).timeout(20_000);
      confirmMs = Date.now() - t0;
      const t1 = Date.now();
      search = await member.get('/recherche?q=gisele&departement=').set('Accept', 'application/json').timeout(20_000);
      searchMs = Date.now() - t1;
    } finally {
      meili.kill('SIGCONT');
    }
    process.stdout.write(`      Meilisearch frozen: objection confirmed in ${confirmMs} ms, search answered (degraded) in ${searchMs} ms\n`);

    expect(confirmed.status).to.equal(200);
    expect((await Contact.findById(contact._id).lean())!.state).to.equal('restricted');
    expect(search.status).to.equal(200);
    expect(search.body.degraded).to.equal(true);
    expect(JSON.stringify(search.body)).not.to.include(direct);
    // After SIGCONT the sync (still running or retrying) pushes the restriction.
    await flushSearchSync();
    await syncNow();
    const after = await member.get('/recherche?q=gisele&departement=').set('Accept', 'application/json');
    expect(after.body.degraded).to.equal(false);
    expect(JSON.stringify(after.body)).not.to.include(direct);
  });
});
