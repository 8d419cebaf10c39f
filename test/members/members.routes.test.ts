import { expect } from 'chai';
import mongoose from 'mongoose';
import { waitForMail } from '../../src/mail/mail-catcher';
import { Member } from '../../src/members/member.model';
import { signedInAgent, submitForm } from '../support/agent';
import { buildAdmin, buildApplicant, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('members.routes', () => {
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('GET /moderation/membres', () => {
    it('lists the verified applicants of the moderator’s régions only', async () => {
      const mod = await buildModerator(['52']);
      await buildApplicant({ firstName: 'Nantaise', departement: '44', region: '52' });
      await buildApplicant({ firstName: 'Parisienne', departement: '75', region: '11' });
      await buildApplicant({ firstName: 'Nonverifiee', departement: '49', region: '52', emailVerifiedAt: undefined });
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const res = await agent.get('/moderation/membres');

      expect(res.status).to.equal(200);
      expect(res.text).to.include('Nantaise');
      expect(res.text).not.to.include('Parisienne');
      expect(res.text).not.to.include('Nonverifiee');
    });

    it('shows an admin the applicants of every région', async () => {
      const admin = await buildAdmin();
      await buildApplicant({ firstName: 'Lyonnaise', departement: '69', region: '84' });
      const agent = await signedInAgent(admin.email, TEST_PASSWORD);

      const res = await agent.get('/moderation/membres');

      expect(res.text).to.include('Lyonnaise');
    });
  });

  describe('POST /moderation/membres/:id/approuver', () => {
    it('answers 403 to a moderator of another région and changes nothing', async () => {
      const mod = await buildModerator(['11']);
      const applicant = await buildApplicant({ departement: '44', region: '52' });
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const res = await submitForm(agent, '/moderation/membres', `/moderation/membres/${applicant._id}/approuver`, {});

      expect(res.status).to.equal(403);
      expect(res.text).to.include('Vous ne pouvez décider que des demandes de votre région');
      expect((await Member.findById(applicant._id).lean())!.status).to.equal('pending');
    });

    it('tells the second of two moderators that the application was already handled', async () => {
      const [a, b] = [await buildModerator(['52']), await buildModerator(['52'])];
      const applicant = await buildApplicant();
      const agentA = await signedInAgent(a.email, TEST_PASSWORD);
      const agentB = await signedInAgent(b.email, TEST_PASSWORD);

      const first = await submitForm(agentA, '/moderation/membres', `/moderation/membres/${applicant._id}/approuver`, {});
      const second = await submitForm(agentB, '/moderation/membres', `/moderation/membres/${applicant._id}/refuser`, { reason: 'Doublon' });

      expect(first.status).to.equal(303);
      expect(second.status).to.equal(409);
      expect(second.text).to.include('Cette demande a déjà été traitée.');
      expect((await Member.findById(applicant._id).lean())!.status).to.equal('active');
    });
  });

  describe('POST /moderation/membres/:id/refuser', () => {
    it('requires a reason, keeps the list, then mails the reason to the applicant', async () => {
      const mod = await buildModerator(['52']);
      const applicant = await buildApplicant();
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const missing = await submitForm(agent, '/moderation/membres', `/moderation/membres/${applicant._id}/refuser`, { reason: '  ' });
      const done = await submitForm(agent, '/moderation/membres', `/moderation/membres/${applicant._id}/refuser`, { reason: 'Profession hors du champ de l’annuaire.' });
      const mail = await waitForMail(applicant.email, /demande d’accès/);

      expect(missing.status).to.equal(422);
      expect(missing.text).to.include('Indiquez le motif du refus');
      expect(done.status).to.equal(303);
      expect(mail.text).to.include('Profession hors du champ de l’annuaire.');
      expect((await Member.findById(applicant._id).lean())!.status).to.equal('rejected');
    });
  });

  describe('/compte', () => {
    it('updates the profile, derives the région, and re-renders French errors with typed values', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);
      const profile = { firstName: 'Alix', lastName: 'Martin', profession: 'cesf', employer: 'MDS de Bordeaux', departement: '33', membershipNumber: '' };

      const bad = await submitForm(agent, '/compte', '/compte', { ...profile, employer: 'x'.repeat(200), departement: '' });
      const ok = await submitForm(agent, '/compte', '/compte', profile);
      const page = await agent.get('/compte');

      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('160 caractères au plus.');
      expect(bad.text).to.include('value="Alix"');
      expect(ok.status).to.equal(303);
      expect(page.text).to.include('Votre profil a été enregistré.');
      const stored = await Member.findById(member._id).lean();
      expect(stored).to.include({ firstName: 'Alix', departement: '33', region: '75', profession: 'cesf' });
    });

    it('changes the password only with the current one', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const wrong = await submitForm(agent, '/compte/mot-de-passe', '/compte/mot-de-passe', { currentPassword: 'pas le bon du tout', password: 'une nouvelle phrase secrète' });
      const right = await submitForm(agent, '/compte/mot-de-passe', '/compte/mot-de-passe', { currentPassword: TEST_PASSWORD, password: 'une nouvelle phrase secrète' });

      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.include('Le mot de passe actuel est incorrect.');
      expect(right.status).to.equal(303);
      await signedInAgent(member.email, 'une nouvelle phrase secrète');
    });

    it('exports the member’s own data as JSON without the password hash', async () => {
      const member = await buildMember({ firstName: 'Exportée' });
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const res = await agent.get('/compte/export');

      expect(res.status).to.equal(200);
      expect(res.headers['content-disposition']).to.include('attachment');
      const data = JSON.parse(res.text);
      expect(data.account).to.include({ email: member.email, firstName: 'Exportée' });
      expect(res.text).not.to.include('argon2');
    });

    it('deletes the account after the password is confirmed and signs out', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const wrong = await submitForm(agent, '/compte/supprimer', '/compte/supprimer', { currentPassword: 'pas le bon du tout' });
      const right = await submitForm(agent, '/compte/supprimer', '/compte/supprimer', { currentPassword: TEST_PASSWORD });
      const after = await agent.get('/compte');

      expect(wrong.status).to.equal(422);
      expect(right.status).to.equal(303);
      expect(await Member.countDocuments({ _id: member._id })).to.equal(0);
      expect(after.status).to.equal(303);
    });
  });
});
