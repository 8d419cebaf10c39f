import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { noteUnfinished } from '../../src/core/unfinished';
import { runFreshness } from '../../src/jobs/freshness';
import { runRepairs } from '../../src/jobs/repair';
import { type CaughtMail, caughtMails, clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { toActor } from '../../src/members/members.presenter';
import { contactEvents } from '../../src/audit/audit';
import { auditSentence } from '../../src/moderation/audit.presenter';
import { findOpenItem, openKeyOf } from '../../src/inbox/queue';
import { clearThresholdsCache, saveThresholds } from '../../src/settings/thresholds';
import { recordCall } from '../../src/signals/calls.service';
import { recheckId } from '../../src/signals/rechecks';
import { Recheck } from '../../src/signals/signal.models';
import { signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, TEST_PASSWORD } from '../support/factories';

const DAY = 86400_000;
const card = async (id: unknown) => (await Contact.findById(id).lean())!;
const later = (from: Date, days: number) => new Date(from.getTime() + days * DAY);
const monthsAgo = (n: number) => {
  const d = new Date();
  d.setMonth(d.getMonth() - n);
  return d;
};
const mailsTo = async (email: string): Promise<CaughtMail[]> => {
  await new Promise((r) => setTimeout(r, 200));
  return caughtMails().filter((m) => m.to.includes(email.toLowerCase()));
};
const itemOf = (id: unknown) => findOpenItem(openKeyOf('contact', String(id)));

describe('authors asked first (signals/rechecks)', () => {
  beforeEach(async () => {
    clearCaughtMails();
    await mongoose.connection.collection('rate_limits').deleteMany({});
    // Each test reads the whole (small) collection through the job: episodes of earlier tests must not join in.
    await Recheck.deleteMany({});
  });

  describe('a stale card (freshness job)', () => {
    it('mails its author once, opens the stale item only after the grace period, and a second run sends nothing', async () => {
      const author = await buildMember({ firstName: 'Dominique' });
      const contact = await buildContact(await buildAgency(), { service: 'Pôle solidarité', lastVerifiedAt: monthsAgo(13), createdBy: author._id });
      const now = new Date();

      const first = await runFreshness(now);
      const mail = await waitForMail(author.email, /revérifier/);
      const again = await runFreshness(later(now, 1));
      const mailsAfterTwoRuns = await mailsTo(author.email);
      const itemDuringGrace = await itemOf(contact._id);
      const atSix = await runFreshness(later(now, 6));
      const atEight = await runFreshness(later(now, 8));
      const itemAfterGrace = await itemOf(contact._id);
      const atNine = await runFreshness(later(now, 9));

      expect(first.stale.map(String)).to.deep.equal([String(contact._id)]);
      expect(first.queued).to.deep.equal([]);
      expect(mail.subject).to.equal('Pouvez-vous revérifier une fiche que vous avez partagée ? – Ligne directe');
      expect(mail.text).to.include('Bonjour Dominique,');
      expect(mail.text).to.include(
        'Personne n’a confirmé la fiche « Pôle solidarité », que vous avez partagée, depuis plus de 12 mois : elle est maintenant marquée « à vérifier ».',
      );
      expect(mail.text).to.include('Si la ligne fonctionne toujours, ouvrez la fiche et cliquez sur « Toujours valable » :');
      expect(mail.text).to.include('Si elle a changé, proposez la correction depuis la même page.');
      expect(again.stale).to.deep.equal([]);
      expect(again.queued).to.deep.equal([]);
      expect(mailsAfterTwoRuns).to.have.length(1);
      expect(itemDuringGrace).to.equal(undefined);
      expect(atSix.queued).to.deep.equal([]);
      expect(atEight.queued.map(String)).to.deep.equal([String(contact._id)]);
      expect(itemAfterGrace?.type).to.equal('stale');
      expect(itemAfterGrace?.reasons.map((r) => r.label)).to.deep.equal(['Non vérifiée depuis plus de 12 mois ; son auteur ne l’a pas revérifiée sous 7 jours']);
      expect(atNine.queued).to.deep.equal([]);
      expect((await itemOf(contact._id))?.reasons).to.have.length(1);
      expect(await mailsTo(author.email)).to.have.length(1);
      expect(await Recheck.findById(recheckId(contact._id)).lean()).to.equal(null);
      const events = await contactEvents(contact._id);
      expect(events.map((e) => e.action)).to.deep.equal(['contact.flag_stale', 'contact.recheck_asked', 'contact.recheck_queued']);
      expect(auditSentence(events[1]).text).to.equal('Système a demandé à l’auteur de la fiche de la revérifier — motif : fiche ancienne.');
      expect(auditSentence(events[2]).text).to.equal('Système a transmis la fiche à la modération : son auteur ne l’a pas revérifiée à temps.');
    });

    it('opens no item when the author confirms « Toujours valable » within the grace period', async () => {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency(), { lastVerifiedAt: monthsAgo(13), createdBy: author._id });
      const now = new Date();
      await runFreshness(now);
      const agent = await signedInAgent(author.email, TEST_PASSWORD);

      const page = await agent.get(`/contacts/${contact._id}`);
      const res = await submitForm(agent, `/contacts/${contact._id}`, `/contacts/${contact._id}/toujours-valable`, {});
      const after = await card(contact._id);
      const flashPage = await agent.get(`/contacts/${contact._id}`);
      const atEight = await runFreshness(later(now, 8));

      expect(page.text).to.include('Elle est « à vérifier »');
      expect(page.text).to.include(`action="/contacts/${contact._id}/toujours-valable"`);
      // The author does not tap « J’ai appelé » on their own card.
      expect(page.text).not.to.include(`action="/contacts/${contact._id}/appel"`);
      expect(res.status).to.equal(303);
      expect(flashPage.text).to.include('La fiche n’est plus « à vérifier »');
      expect(after.state).to.equal('published');
      expect(after.needsCheckSince).to.equal(undefined);
      expect(after.verified?.phone?.method).to.equal('author');
      expect(after.lastVerifiedAt!.getTime()).to.be.greaterThan(Date.now() - 60_000);
      expect(atEight.queued).to.deep.equal([]);
      expect(await itemOf(contact._id)).to.equal(undefined);
      expect(await Recheck.findById(recheckId(contact._id)).lean()).to.equal(null);
      const events = await contactEvents(contact._id);
      expect(events.map((e) => e.action)).to.deep.equal(['contact.flag_stale', 'contact.recheck_asked', 'contact.author_recheck']);
      expect(events[2].changes).to.deep.include({ field: 'state', before: 'needs_check', after: 'published' });
    });

    it('goes straight to the queue, without a mail, when the author is suspended or gone', async () => {
      const suspended = await buildMember({ status: 'suspended' });
      const agency = await buildAgency();
      const ofSuspended = await buildContact(agency, { lastVerifiedAt: monthsAgo(13), createdBy: suspended._id });
      const ofNobody = await buildContact(agency, { lastVerifiedAt: monthsAgo(13), createdBy: new mongoose.Types.ObjectId() });

      const run = await runFreshness(new Date());

      expect(run.stale.map(String).sort()).to.deep.equal([String(ofSuspended._id), String(ofNobody._id)].sort());
      for (const c of [ofSuspended, ofNobody]) {
        const item = await itemOf(c._id);
        expect(item?.type).to.equal('stale');
        expect(item?.reasons[0].label).to.include('son auteur a quitté l’annuaire ou est suspendu');
        expect(await Recheck.findById(recheckId(c._id)).lean()).to.equal(null);
      }
      expect(await mailsTo(suspended.email)).to.have.length(0);
    });

    it('drops the episode without an item when a colleague reached the line meanwhile', async () => {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency(), { lastVerifiedAt: monthsAgo(13), createdBy: author._id });
      const now = new Date();
      await runFreshness(now);

      await recordCall(toActor(await buildMember()), String(contact._id), 'reached', later(now, 1));
      const recovered = await card(contact._id);
      const atEight = await runFreshness(later(now, 8));

      expect(recovered.state).to.equal('published');
      expect(atEight.queued).to.deep.equal([]);
      expect(await itemOf(contact._id)).to.equal(undefined);
      expect(await Recheck.findById(recheckId(contact._id)).lean()).to.equal(null);
    });

    it('opens the item at once when an admin set the grace period to 0 days', async () => {
      await saveThresholds({ recheckGraceDays: 0 });
      try {
        const author = await buildMember();
        const contact = await buildContact(await buildAgency(), { lastVerifiedAt: monthsAgo(13), createdBy: author._id });

        await runFreshness(new Date());

        expect((await itemOf(contact._id))?.type).to.equal('stale');
      } finally {
        await saveThresholds({ recheckGraceDays: 7 });
        clearThresholdsCache();
      }
    });
  });

  describe('a half-done episode', () => {
    it('is finished by the repair: the author is asked once, even when the repair runs twice', async () => {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency(), { createdBy: author._id, state: 'needs_check', needsCheckSince: new Date() });
      // As if the request died between the state change and the author's request.
      await noteUnfinished('recheck', contact._id);

      const first = await runRepairs({ everything: true });
      await noteUnfinished('recheck', contact._id);
      const second = await runRepairs({ everything: true });

      expect(first).to.equal(1);
      expect(second).to.equal(0);
      expect(await Recheck.findById(recheckId(contact._id)).lean()).to.include({ reason: 'calls' });
      await waitForMail(author.email, /revérifier/);
      expect(await mailsTo(author.email)).to.have.length(1);
    });
  });

  describe('a card flagged by calls', () => {
    it('opens a report item after the grace period; the author’s re-check instead restarts the « numéro faux » count', async () => {
      const author = await buildMember();
      const agency = await buildAgency();
      const ignored = await buildContact(agency, { createdBy: author._id });
      const rechecked = await buildContact(agency, { createdBy: author._id });
      const [a, b, c] = await Promise.all([buildMember(), buildMember(), buildMember()]).then((ms) => ms.map(toActor));
      const now = new Date();
      for (const card of [ignored, rechecked]) {
        await recordCall(a, String(card._id), 'wrong_number', now);
        await recordCall(b, String(card._id), 'wrong_number', now);
      }
      const agent = await signedInAgent(author.email, TEST_PASSWORD);

      await submitForm(agent, `/contacts/${rechecked._id}`, `/contacts/${rechecked._id}/toujours-valable`, {});
      await recordCall(c, String(rechecked._id), 'wrong_number', later(now, 1));
      const atEight = await runFreshness(later(now, 8));

      expect(atEight.queued.map(String)).to.deep.equal([String(ignored._id)]);
      const item = await itemOf(ignored._id);
      expect(item?.type).to.equal('report');
      expect(item?.reasons[0]).to.include({ code: 'calls:wrong_number' });
      expect(item?.reasons[0].label).to.equal('Appels : des collègues ont trouvé le numéro faux ou plus attribué ; son auteur ne l’a pas revérifiée sous 7 jours');
      // One colleague after the author's re-check is one member: the card stays published.
      expect((await card(rechecked._id)).state).to.equal('published');
      expect(await itemOf(rechecked._id)).to.equal(undefined);
      expect(await mailsTo(author.email)).to.have.length(2);
    });

    it('lets only the author confirm « Toujours valable », and never on a restricted card', async () => {
      const author = await buildMember();
      const agency = await buildAgency();
      const own = await buildContact(agency, { createdBy: author._id });
      const restricted = await buildContact(agency, { createdBy: author._id, state: 'restricted' });
      const other = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
      const mine = await signedInAgent(author.email, TEST_PASSWORD);

      const byOther = await submitForm(other, `/contacts/${own._id}`, `/contacts/${own._id}/toujours-valable`, {});
      const onRestricted = await submitForm(mine, `/contacts/${restricted._id}`, `/contacts/${restricted._id}/toujours-valable`, {});
      const onPublished = await submitForm(mine, `/contacts/${own._id}`, `/contacts/${own._id}/toujours-valable`, {});

      expect(byOther.status).to.equal(403);
      expect(onRestricted.status).to.equal(403);
      expect((await card(restricted._id)).state).to.equal('restricted');
      expect(onPublished.status).to.equal(303);
      expect((await card(own._id)).verified?.phone?.method).to.equal('author');
    });
  });
});
