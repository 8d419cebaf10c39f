import { expect } from 'chai';
import { Contact } from '../../src/contacts/contact.model';
import { runFreshness } from '../../src/jobs/freshness';
import { acquireLease } from '../../src/jobs/lease';
import { runJob } from '../../src/jobs/scheduler';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { contactEvents } from '../../src/audit/audit';
import { auditSentence } from '../../src/moderation/audit.presenter';
import { buildAgency, buildContact, buildMember, buildModerator } from '../support/factories';

const months = (from: Date, n: number) => {
  const d = new Date(from);
  d.setMonth(d.getMonth() + n);
  return d;
};

describe('freshness', () => {
  describe('runFreshness()', () => {
    it('marks contacts unverified for 12 months as needs_check, then archives them at 24 months and tells author and moderators', async function () {
      this.timeout(30_000);
      clearCaughtMails();
      const today = new Date();
      const author = await buildMember();
      const moderator = await buildModerator(['52']);
      const agency = await buildAgency();
      const old = await buildContact(agency, { service: 'Ligne ancienne', lastVerifiedAt: today, createdBy: author._id });
      const young = await buildContact(agency, { service: 'Ligne récente', lastVerifiedAt: months(today, 6) });

      const at13 = await runFreshness(months(today, 13));
      const again13 = await runFreshness(months(today, 13));
      const stateAt13 = (await Contact.findById(old._id).lean())!;
      const at25 = await runFreshness(months(today, 25));
      const again25 = await runFreshness(months(today, 25));

      expect(at13.stale.map(String)).to.deep.equal([String(old._id)]);
      expect(again13.stale).to.deep.equal([]);
      expect(stateAt13.state).to.equal('needs_check');
      // Marked for the search index with a new revision (the sync may already have pushed it).
      expect(stateAt13.revision).to.be.greaterThan(old.revision);
      expect(stateAt13.searchDirty || stateAt13.indexedRevision === stateAt13.revision).to.equal(true);
      expect(at25.archived.map(String)).to.deep.equal([String(old._id)]);
      expect(again25.archived).to.deep.equal([]);
      expect((await Contact.findById(old._id).lean())!.state).to.equal('archived');
      expect((await Contact.findById(young._id).lean())!.state).to.equal('needs_check');
      const authorMail = await waitForMail(author.email, /archivés/);
      const moderatorMail = await waitForMail(moderator.email, /archivé/);
      expect(authorMail.text).to.include('Ligne ancienne');
      expect(moderatorMail.text).to.include(`/contacts/${old._id}`);
      const events = await contactEvents(old._id);
      expect(events.map((e) => [e.action, e.actorName, e.actorId ?? null])).to.deep.equal([
        ['contact.flag_stale', 'Système', null],
        ['contact.recheck_asked', 'Système', null],
        ['contact.expire', 'Système', null],
      ]);
      expect(auditSentence(events[0]).text).to.equal('Système a signalé la fiche à vérifier — motif : sans confirmation depuis 12 mois.');
      expect(auditSentence(events[2]).text).to.equal('Système a archivé la fiche faute de vérification — motif : à vérifier depuis plus de 30 jours sans confirmation.');
    });

    it('does not archive a contact that has been needs_check for less than 30 days', async () => {
      const today = new Date();
      const contact = await buildContact(await buildAgency(), { state: 'needs_check', needsCheckSince: new Date(months(today, 25).getTime() - 10 * 86400_000), lastVerifiedAt: today });

      const result = await runFreshness(months(today, 25));

      expect(result.archived.map(String)).not.to.include(String(contact._id));
    });
  });

  describe('leases', () => {
    it('let one instance at a time run a job', async () => {
      const first = await acquireLease('job:test', 60_000);
      const second = await acquireLease('job:test', 60_000);
      await first!();
      const third = await acquireLease('job:test', 60_000);

      expect(first).to.be.a('function');
      expect(second).to.equal(undefined);
      expect(third).to.be.a('function');
      await third!();
    });

    it('runJob() refuses to run while another holder has the lease', async () => {
      const held = await acquireLease('job:freshness', 60_000);

      const ran = await runJob('freshness');
      await held!();
      const ranAfter = await runJob('freshness');

      expect(ran).to.equal(false);
      expect(ranAfter).to.equal(true);
    });
  });
});
