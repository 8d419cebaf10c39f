import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { applyObjection } from '../../src/contacts/contacts.service';
import { ALERT_EVERY_MS, runMyContactsAlerts } from '../../src/jobs/my-contacts-alerts';
import { runJob } from '../../src/jobs/scheduler';
import { caughtMails, clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { addMyContact, setAlerts } from '../../src/my-contacts/my-contacts.service';
import { MyContacts } from '../../src/my-contacts/my-contacts.model';
import { reportContact } from '../../src/signals/signals.service';
import { actorById } from '../../src/members/members.service';
import { buildAgency, buildContact, buildMember, displayNumber, nextFictionalNumber } from '../support/factories';

const DAY = 24 * 3600 * 1000;

describe('jobs: my-contacts weekly alert', () => {
  it('mails once a week what changed on the cards of the list, and says only « no longer listed » of an objected card', async () => {
    const m = await buildMember({ firstName: 'Inès' });
    const quiet = await buildMember();
    const reporter = await buildMember();
    const actor = (await actorById(String(m._id)))!;
    const quietActor = (await actorById(String(quiet._id)))!;
    const reporterActor = (await actorById(String(reporter._id)))!;
    const caf = await buildAgency({ name: 'CAF de Loire-Atlantique' });
    const renumbered = await buildContact(caf, { service: 'Cellule RSA' });
    const reported = await buildContact(caf, { service: 'Accueil partenaires' });
    const stale = await buildContact(caf, { service: 'Pôle logement' });
    const objected = await buildContact(caf, { kind: 'agent', agentFirstName: 'Claire', agentLastName: 'Objecte', function: 'Référente' });
    const unchanged = await buildContact(caf, { service: 'Standard social' });
    const t0 = new Date();
    for (const c of [renumbered, reported, stale, objected, unchanged]) await addMyContact(actor, String(c._id), t0);
    await addMyContact(quietActor, String(unchanged._id), t0);
    await setAlerts(actor, true, t0);
    await setAlerts(quietActor, true, t0);

    const newNumber = nextFictionalNumber();
    await Contact.updateOne({ _id: renumbered._id }, { $set: { phones: [{ e164: newNumber, kind: 'service' }], phoneKeys: [newNumber] } });
    await reportContact(reporterActor, String(reported._id), { kind: 'no_answer' });
    await Contact.updateOne({ _id: stale._id }, { $set: { state: 'needs_check', needsCheckSince: new Date() } });
    await applyObjection(objected._id);
    clearCaughtMails();

    // Within the week: nothing.
    expect((await runMyContactsAlerts(new Date(t0.getTime() + 3 * DAY))).mails).to.equal(0);

    const week = new Date(t0.getTime() + ALERT_EVERY_MS + 60_000);
    const result = await runMyContactsAlerts(week);
    expect(result).to.deep.equal({ mails: 1, lists: 2 });
    const mail = await waitForMail(m.email, /Vos contacts ont changé/);
    expect(mail.text).to.include('Bonjour Inès');
    expect(mail.text).to.include(`Cellule RSA (CAF de Loire-Atlantique) : nouveau numéro, ${displayNumber(newNumber)}.`);
    expect(mail.text).to.include('Accueil partenaires (CAF de Loire-Atlantique) : signalé comme ne fonctionnant pas');
    expect(mail.text).to.include('Pôle logement (CAF de Loire-Atlantique) : à vérifier');
    expect(mail.text).to.include('Un contact de votre liste n’est plus listé dans l’annuaire.');
    expect(mail.text).to.not.include('Claire');
    expect(mail.text).to.not.include('Objecte');
    expect(mail.text).to.not.include('Référente');
    expect(mail.text).to.not.include('Standard social');
    expect(caughtMails().filter((x) => x.to.includes(quiet.email.toLowerCase()))).to.have.length(0);

    // The next week, nothing changed since the last mail: no mail.
    clearCaughtMails();
    expect((await runMyContactsAlerts(new Date(week.getTime() + ALERT_EVERY_MS + 60_000))).mails).to.equal(0);
    const list = await MyContacts.findById(m._id).lean();
    expect(list!.entries).to.have.length(5);
  });

  it('mails nobody who did not ask (off by default), and forgets a suspended member', async () => {
    const m = await buildMember();
    const actor = (await actorById(String(m._id)))!;
    const c = await buildContact(await buildAgency());
    await addMyContact(actor, String(c._id));
    await Contact.updateOne({ _id: c._id }, { $set: { state: 'needs_check' } });
    clearCaughtMails();
    const later = new Date(Date.now() + 30 * DAY);
    expect((await runMyContactsAlerts(later)).mails).to.equal(0);

    await setAlerts(actor, true, new Date());
    await mongoose.connection.collection('members').updateOne({ _id: m._id }, { $set: { status: 'suspended' } });
    expect((await runMyContactsAlerts(later)).mails).to.equal(0);
    const set = await mongoose.connection.collection('lookups').findOne({ _id: 'my-contacts-alerts' as never });
    expect(set!.ids.map(String)).to.not.include(String(m._id));
  });

  it('runs from the scheduler under its lease', async () => {
    expect(await runJob('my-contacts-alerts')).to.equal(true);
  });
});
