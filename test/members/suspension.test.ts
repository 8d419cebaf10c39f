import { expect } from 'chai';
import mongoose from 'mongoose';
import { waitForMail } from '../../src/mail/mail-catcher';
import { Member } from '../../src/members/member.model';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { csrfFrom, newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAdmin, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('member suspension', () => {
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('lets the région’s moderator suspend a member from their page: the member is cut off at once, cannot sign in, and the audit log says why', async () => {
    const target = await buildMember({ firstName: 'Sam', lastName: 'Suspendu' });
    const moderator = await buildModerator(['52']);
    const mod = await signedInAgent(moderator.email, TEST_PASSWORD);
    const victim = await signedInAgent(target.email, TEST_PASSWORD);
    const before = await victim.get('/compte');

    const found = await mod.get(`/moderation/membres/recherche?email=${encodeURIComponent(target.email)}`);
    const page = await mod.get(`/moderation/membres/${target._id}`);
    const empty = await submitForm(mod, `/moderation/membres/${target._id}`, `/moderation/membres/${target._id}/suspendre`, { reason: '' });
    const suspended = await submitForm(mod, `/moderation/membres/${target._id}`, `/moderation/membres/${target._id}/suspendre`, { reason: 'Copie de l’annuaire par un script.' });
    const after = await victim.get('/compte');
    const signIn = await submitForm(newAgent(), '/connexion', '/connexion', { email: target.email, password: TEST_PASSWORD });

    expect(before.status).to.equal(200);
    expect(found.status).to.equal(303);
    expect(found.headers.location).to.equal(`/moderation/membres/${target._id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Sam Suspendu').and.include('Suspendre le compte');
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Indiquez le motif de la suspension');
    expect(suspended.status).to.equal(303);
    expect(after.status).to.equal(303);
    expect(after.headers.location).to.match(/^\/connexion/);
    expect(signIn.status).to.equal(403);
    expect(signIn.text).to.include('Ce compte est suspendu');
    expect((await Member.findById(target._id).lean())!.status).to.equal('suspended');
    const event = await ModerationEvent.findOne({ action: 'member.suspend', targetId: target._id }).lean();
    expect(event!.reason).to.equal('Copie de l’annuaire par un script.');
    expect(String(event!.actorId)).to.equal(String(moderator._id));
    expect((await waitForMail(target.email, /suspendu/)).text).to.include('Copie de l’annuaire par un script.');

    const reactivated = await submitForm(mod, `/moderation/membres/${target._id}`, `/moderation/membres/${target._id}/reactiver`, {});
    expect(reactivated.status).to.equal(303);
    await signedInAgent(target.email, TEST_PASSWORD);
  });

  it('refuses a moderator of another région, a moderator suspending a moderator, and anyone suspending themselves', async () => {
    const target = await buildMember();
    const otherModerator = await buildModerator(['52']);
    const elsewhere = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);
    const moderator = await buildModerator(['52']);
    const mod = await signedInAgent(moderator.email, TEST_PASSWORD);
    const admin = await signedInAgent((await buildAdmin()).email, TEST_PASSWORD);
    const token = await csrfFrom(mod, '/moderation/membres');

    const otherRegion = await elsewhere.get(`/moderation/membres/${target._id}`);
    const onModerator = await mod.post(`/moderation/membres/${otherModerator._id}/suspendre`).type('form').send({ reason: 'Essai.', _csrf: token });
    const onSelf = await mod.post(`/moderation/membres/${moderator._id}/suspendre`).type('form').send({ reason: 'Essai.', _csrf: token });
    const member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    const byMember = await member.get(`/moderation/membres/${target._id}`);
    const adminPage = await admin.get(`/moderation/membres/${otherModerator._id}`);

    expect(otherRegion.status).to.equal(403);
    expect(onModerator.status).to.equal(403);
    expect(onSelf.status).to.equal(403);
    expect(byMember.status).to.equal(403);
    expect(adminPage.text).to.include('Suspendre le compte');
    expect((await Member.findById(otherModerator._id).lean())!.status).to.equal('active');
  });
});
