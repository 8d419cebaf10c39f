import { expect } from 'chai';
import mongoose from 'mongoose';
import { signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('cache headers of authenticated pages', () => {
  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('sends Cache-Control: no-store on every page for a signed-in account, and Clear-Site-Data on sign-out', async () => {
    const agency = await buildAgency();
    const contact = await buildContact(agency);
    const moderator = await buildModerator(['52']);
    const agent = await signedInAgent(moderator.email, TEST_PASSWORD);

    const pages = ['/', '/compte', `/contacts/${contact._id}`, `/contacts/${contact._id}/vcard`, `/organismes/${agency._id}`, '/recherche?q=caf', '/moderation', '/moderation/file', '/moderation/membres', `/moderation/membres/${moderator._id}`, '/contacts/nouveau', '/page-inconnue'];
    const answers = await Promise.all(pages.map(async (path) => [path, await agent.get(path)] as const));
    const out = await submitForm(agent, '/compte', '/deconnexion', {});

    for (const [path, res] of answers) {
      expect(res.headers['cache-control'], `${path} (${res.status})`).to.match(/\bno-store\b/);
    }
    expect(out.status).to.equal(303);
    expect(out.headers['clear-site-data']).to.equal('"cache", "cookies", "storage"');
  });
});
