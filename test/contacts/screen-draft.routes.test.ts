import { expect } from 'chai';
import mongoose from 'mongoose';
import { capturedLogLines } from '../../src/core/logger';
import { csrfFrom, newAgent, signedInAgent } from '../support/agent';
import { buildMember, TEST_PASSWORD } from '../support/factories';

describe('POST /contacts/verifier-texte (the screen while typing)', () => {
  it('tells a member what it recognised at a field, blocking or to check, and keeps nothing', async () => {
    const member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    const token = await csrfFrom(member, '/contacts/nouveau');
    const logFrom = capturedLogLines.length;
    const ask = (field: string, text: string) =>
      member.post('/contacts/verifier-texte').type('form').set('Accept', 'application/json').send({ field, text, _csrf: token });

    const flagged = await ask('tips', 'Rappeler Mme Durand pour son dossier');
    const blocked = await ask('tips', 'rappeler au 06 12 34 56 78');
    const clean = await ask('tips', 'Demander le pôle partenaires');
    const unknown = await ask('password', 'x');

    expect(flagged.status).to.equal(200);
    expect(flagged.body.warning).to.deep.include({ blocking: false });
    expect(flagged.body.warning.message).to.include('un nom précédé de Mme');
    expect(blocked.body.warning).to.deep.include({ blocking: true });
    expect(blocked.body.warning.message).to.match(/^Nous y avons reconnu un numéro de téléphone personnel\./);
    expect(clean.body).to.deep.equal({ warning: null });
    expect(unknown.status).to.equal(400);
    expect(flagged.headers['cache-control']).to.equal('no-store');
    const logged = capturedLogLines.slice(logFrom).join('');
    expect(logged).not.to.include('Durand').and.not.to.include('06 12 34 56 78');
    for (const c of await mongoose.connection.db!.collections()) {
      expect(JSON.stringify(await c.find({}).toArray()), c.collectionName).not.to.include('Durand');
    }
  });

  it('refuses a visitor who is not signed in and a request without the form’s token', async () => {
    const anonymous = newAgent();
    const anonToken = await csrfFrom(anonymous, '/connexion');
    const member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);

    const asAnonymous = await anonymous.post('/contacts/verifier-texte').type('form').send({ field: 'tips', text: 'x', _csrf: anonToken });
    const withoutToken = await member.post('/contacts/verifier-texte').type('form').send({ field: 'tips', text: 'x' });

    expect([401, 303]).to.include(asAnonymous.status);
    expect(withoutToken.status).to.equal(403);
  });
});
