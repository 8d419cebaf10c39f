import { expect } from 'chai';
import mongoose from 'mongoose';
import { capturedLogLines } from '../../src/core/logger';
import { waitForMail } from '../../src/mail/mail-catcher';
import { Member } from '../../src/members/member.model';
import { MemberToken } from '../../src/members/member-token.model';
import { upgradePasswordHash } from '../../src/members/members.service';
import { hashPassword, needsRehash } from '../../src/members/passwords';
import { SecurityEvent } from '../../src/security/security-event.model';
import { newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildMember, buildModerator, olderSettingsHash, TEST_PASSWORD } from '../support/factories';

const pathOf = (text: string, prefix: string) => {
  const match = new RegExp(`https?://[^/\\s]+(${prefix}[A-Za-z0-9_-]+)`).exec(text);
  expect(match, `no link ${prefix} in mail`).to.not.equal(null);
  return match![1];
};

const registration = (email: string) => ({
  email,
  password: 'le train de nuit pour Nantes',
  firstName: 'Camille',
  lastName: 'Durand',
  profession: 'ass',
  employer: 'CCAS de Saint-Nazaire',
  departement: '44',
  membershipNumber: '',
  charter: 'oui',
});

describe('auth.routes', () => {
  // Every request here comes from 127.0.0.1: start each test with fresh per-IP counters.
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('the membership journey', () => {
    it('registers, verifies the e-mail, waits for the région, is approved, signs in and sees the members-only home', async function () {
      this.timeout(30_000);
      const email = `camille.durand.${Date.now()}@ccas-saint-nazaire.fr`;
      const applicant = newAgent();
      const moderator = await buildModerator(['52']);

      const registered = await submitForm(applicant, '/inscription', '/inscription', registration(email.toUpperCase()));
      const verifyMail = await waitForMail(email, /Confirmez votre adresse/);
      const verified = await applicant.get(pathOf(verifyMail.text, '/inscription/verifier/'));
      const signedInPending = await submitForm(applicant, '/connexion', '/connexion', { email, password: 'le train de nuit pour Nantes' });
      const pendingAccount = await applicant.get('/compte');
      const blocked = await applicant.get('/moderation/membres');
      const mod = await signedInAgent(moderator.email, TEST_PASSWORD);
      const queue = await mod.get('/moderation/membres');
      const id = String((await Member.findOne({ email }).lean())!._id);
      const approved = await submitForm(mod, '/moderation/membres', `/moderation/membres/${id}/approuver`, {});
      const approvalMail = await waitForMail(email, /validé/);
      const home = await applicant.get('/');

      expect(registered.status).to.equal(303);
      expect(registered.headers.location).to.equal('/inscription/envoyee');
      expect(verified.status).to.equal(200);
      expect(verified.text).to.include('en attente de validation');
      expect(signedInPending.headers.location).to.equal('/compte');
      expect(pendingAccount.text).to.include('En attente de validation par la modération de votre région');
      expect(blocked.status).to.equal(403);
      expect(queue.text).to.include('Camille Durand');
      expect(approved.status).to.equal(303);
      expect(approvalMail.text).to.include('/connexion');
      expect(home.text).to.include('Bonjour Camille Durand');
      expect(home.text).to.include('href="/contacts/nouveau"');
      const stored = await Member.findOne({ email }).lean();
      expect(stored!.status).to.equal('active');
      expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
      expect(await MemberToken.countDocuments({ memberId: stored!._id })).to.equal(0);
    });

    it('refuses a verification link the second time', async () => {
      const email = `lien.unique.${Date.now()}@ccas-test.fr`;
      const agent = newAgent();
      await submitForm(agent, '/inscription', '/inscription', registration(email));
      const link = pathOf((await waitForMail(email, /Confirmez/)).text, '/inscription/verifier/');

      const first = await agent.get(link);
      const second = await agent.get(link);

      expect(first.status).to.equal(200);
      expect(second.status).to.equal(400);
      expect(second.text).to.include('Ce lien n’est plus valable');
    });
  });

  describe('POST /inscription', () => {
    it('re-renders the form with French field errors and keeps what was typed', async () => {
      const agent = newAgent();

      const res = await submitForm(agent, '/inscription', '/inscription', {
        ...registration('pas-une-adresse'),
        password: 'azertyuiop12',
        firstName: '',
        departement: '99',
        charter: '',
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Il y a 5 points à corriger');
      expect(res.text).to.include('Indiquez une adresse e-mail valide');
      expect(res.text).to.include('trop courant ou trop facile à deviner');
      expect(res.text).to.include('Indiquez votre prénom.');
      expect(res.text).to.include('Choisissez votre département d’exercice dans la liste.');
      expect(res.text).to.include('Cochez la case pour accepter la charte');
      expect(res.text).to.include('value="pas-une-adresse"');
      expect(res.text).to.include('value="CCAS de Saint-Nazaire"');
      expect(res.text).not.to.include('azertyuiop12');
      expect(await Member.countDocuments({ email: 'pas-une-adresse' })).to.equal(0);
    });

    it('answers the same for an address that already has an account, and mails its owner instead', async () => {
      const existing = await buildMember();
      const agent = newAgent();

      const res = await submitForm(agent, '/inscription', '/inscription', registration(existing.email));
      const mail = await waitForMail(existing.email, /déjà un compte/);

      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/inscription/envoyee');
      expect(mail.text).to.include('/mot-de-passe-oublie');
      expect(await Member.countDocuments({ email: existing.email })).to.equal(1);
    });
  });

  describe('POST /connexion', () => {
    it('gives the same answer for an unknown address and a wrong password', async () => {
      const member = await buildMember();

      const unknown = await submitForm(newAgent(), '/connexion', '/connexion', { email: 'personne@nulle-part.fr', password: 'x'.repeat(12) });
      const wrong = await submitForm(newAgent(), '/connexion', '/connexion', { email: member.email, password: 'x'.repeat(12) });

      expect(unknown.status).to.equal(401);
      expect(wrong.status).to.equal(401);
      const message = (t: string) => /field-error[^>]*>.*?<\/span>\s*([^<]+)</s.exec(t)?.[1].trim();
      expect(message(unknown.text)).to.equal('Adresse e-mail ou mot de passe incorrect.');
      expect(message(wrong.text)).to.equal(message(unknown.text));
      expect(wrong.text).to.include(`value="${member.email}"`);
    });

    it('rewrites a hash made with older settings at sign-in, and the password still works', async () => {
      const older = await olderSettingsHash();
      const member = await buildMember();
      await Member.updateOne({ _id: member._id }, { $set: { passwordHash: older } });

      const first = await submitForm(newAgent(), '/connexion', '/connexion', { email: member.email, password: TEST_PASSWORD });

      expect(first.status).to.equal(303);
      const stored = (await Member.findById(member._id).lean())!.passwordHash;
      expect(stored).to.not.equal(older);
      expect(stored).to.match(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
      expect(needsRehash(stored)).to.equal(false);
      const again = await submitForm(newAgent(), '/connexion', '/connexion', { email: member.email, password: TEST_PASSWORD });
      expect(again.status).to.equal(303);
      expect((await Member.findById(member._id).lean())!.passwordHash).to.equal(stored);
    });

    it('never puts an old password back when the hash changed between the check and its rewrite', async () => {
      const older = await olderSettingsHash();
      const member = await buildMember();
      // Read by a sign-in with the old password; a reset then sets another one before the rewrite.
      const changed = await hashPassword('une toute nouvelle phrase secrète');
      await Member.updateOne({ _id: member._id }, { $set: { passwordHash: changed } });

      expect(await upgradePasswordHash(member._id, older, TEST_PASSWORD)).to.equal(false);
      expect((await Member.findById(member._id).lean())!.passwordHash).to.equal(changed);
    });

    it('regenerates the session id at sign-in (no session fixation)', async () => {
      const member = await buildMember();
      const agent = newAgent();
      const before = await agent.get('/connexion');
      const cookieBefore = String(before.headers['set-cookie']).split(';')[0];
      const token = /name="_csrf" value="([^"]+)"/.exec(before.text)![1];

      const res = await agent.post('/connexion').type('form').send({ email: member.email, password: TEST_PASSWORD, _csrf: token });

      const cookieAfter = String(res.headers['set-cookie']).split(';')[0];
      expect(res.status).to.equal(303);
      expect(cookieBefore).to.match(/^ld\.sid=/);
      expect(cookieAfter).to.match(/^ld\.sid=/);
      expect(cookieAfter).to.not.equal(cookieBefore);
      expect(String(res.headers['set-cookie'])).to.match(/HttpOnly/i).and.to.match(/SameSite=Lax/i);
    });

    it('answers 429 with a French message on the 11th failed attempt within 15 minutes, even with the right password', async () => {
      const member = await buildMember();
      const agent = newAgent();
      const statuses: number[] = [];

      for (let i = 0; i < 10; i++) {
        statuses.push((await submitForm(agent, '/connexion', '/connexion', { email: member.email, password: `mauvais-mot-de-passe-${i}` })).status);
      }
      const eleventh = await submitForm(agent, '/connexion', '/connexion', { email: member.email, password: TEST_PASSWORD });

      expect(statuses).to.deep.equal(Array(10).fill(401));
      expect(eleventh.status).to.equal(429);
      expect(eleventh.text).to.include('Trop de tentatives de connexion');
    });

    it('records sign-ins and failures in the security log with hashed IPs only', async () => {
      const member = await buildMember();

      await submitForm(newAgent(), '/connexion', '/connexion', { email: member.email, password: 'x'.repeat(12) });
      await signedInAgent(member.email, TEST_PASSWORD);

      const events = await SecurityEvent.find({ memberId: member._id }).lean();
      expect(events.map((e) => e.type)).to.include.members(['signin_failure', 'signin_success']);
      for (const e of events) expect(e.ipHash).to.match(/^[a-f0-9]{64}$/);
      expect(JSON.stringify(events)).not.to.include('127.0.0.1');
    });

    it('never writes a password or an e-mail address to the logs', async () => {
      const member = await buildMember();
      const from = capturedLogLines.length;

      await submitForm(newAgent(), '/connexion', '/connexion', { email: member.email, password: 'secret-ne-pas-logger-42' });

      const lines = capturedLogLines.slice(from).join('');
      expect(lines).to.include('signin_failure');
      expect(lines).not.to.include('secret-ne-pas-logger-42');
      expect(lines).not.to.include(member.email);
    });
  });

  describe('CSRF', () => {
    it('rejects a POST without a valid token with 403 and changes nothing', async () => {
      const agent = newAgent();
      const email = `csrf.${Date.now()}@ccas-test.fr`;
      await agent.get('/inscription');

      const res = await agent.post('/inscription').type('form').send({ ...registration(email), _csrf: 'forged' });
      const none = await newAgent().post('/connexion').type('form').send({ email: 'a@b.fr', password: 'x'.repeat(12) });

      expect(res.status).to.equal(403);
      expect(res.text).to.include('Ce formulaire a expiré ou ne vient pas de Ligne directe');
      expect(none.status).to.equal(403);
      expect(await Member.countDocuments({ email })).to.equal(0);
    });
  });

  describe('password reset', () => {
    it('mails a single-use link, sets the new password and closes the other sessions', async function () {
      this.timeout(20_000);
      const member = await buildMember();
      const other = await signedInAgent(member.email, TEST_PASSWORD);
      const agent = newAgent();

      const asked = await submitForm(agent, '/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: member.email });
      const link = pathOf((await waitForMail(member.email, /Réinitialiser/)).text, '/mot-de-passe/reinitialiser/');
      const reset = await submitForm(agent, link, link, { password: 'un tout nouveau mot de passe' });
      const again = await agent.get(link);
      const oldSession = await other.get('/compte');

      expect(asked.status).to.equal(200);
      expect(asked.text).to.include('Si un compte existe pour cette adresse');
      expect(reset.status).to.equal(303);
      expect(reset.headers.location).to.equal('/connexion');
      expect(again.status).to.equal(400);
      expect(oldSession.status).to.equal(303);
      expect(oldSession.headers.location).to.match(/^\/connexion/);
      await signedInAgent(member.email, 'un tout nouveau mot de passe');
    });

    it('answers the same for an unknown address and sends nothing', async () => {
      const res = await submitForm(newAgent(), '/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: 'inconnu@nulle-part.fr' });

      expect(res.status).to.equal(200);
      expect(res.text).to.include('Si un compte existe pour cette adresse');
      let mailed = true;
      await waitForMail('inconnu@nulle-part.fr', undefined, 300).catch(() => (mailed = false));
      expect(mailed).to.equal(false);
    });
  });

  describe('POST /deconnexion', () => {
    it('signs out and forgets the session', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const out = await submitForm(agent, '/compte', '/deconnexion', {});
      const after = await agent.get('/compte');

      expect(out.status).to.equal(303);
      expect(after.status).to.equal(303);
      expect(after.headers.location).to.equal('/connexion?retour=%2Fcompte');
    });
  });
});
