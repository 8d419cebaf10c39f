/**
 * The e-mail domains a région's moderators vouch for as an agency's own
 * (an objection from them applies at once: docs/contact-lifecycle.md).
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Agency, type AgencyDoc } from '../../src/agencies/agency.model';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { type Agent, csrfFrom, signedInAgent } from '../support/agent';
import { buildAgency, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('agencies: e-mail domains', () => {
  let moderator: Agent;
  let elsewhere: Agent;
  let member: Agent;

  before(async () => {
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    elsewhere = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const post = async (agent: Agent, id: mongoose.Types.ObjectId, emailDomains: string) =>
    agent
      .post(`/organismes/${id}/domaines`)
      .type('form')
      .send({ _csrf: await csrfFrom(agent, `/organismes/${id}`), emailDomains });

  it('lets the région’s moderator set them (normalised, audited) and shows the form to them only', async () => {
    const agency = await buildAgency({ name: 'CAF domaines' });
    const page = await moderator.get(`/organismes/${agency._id}`);
    const memberPage = await member.get(`/organismes/${agency._id}`);

    const saved = await post(moderator, agency._id, ' @CAF.fr ; cnaf.fr,caf.fr ');
    const stored = (await Agency.findById(agency._id).lean<AgencyDoc>())!;
    const event = await ModerationEvent.findOne({ action: 'agency.domains', targetId: agency._id }).lean();

    expect(page.text).to.include('Domaines de messagerie de l’organisme');
    expect(memberPage.text).not.to.include('Domaines de messagerie de l’organisme');
    expect(saved.status).to.equal(303);
    expect(stored.emailDomains).to.deep.equal(['caf.fr', 'cnaf.fr']);
    expect(event?.changes?.[0]?.after).to.equal('caf.fr, cnaf.fr');
  });

  it('refuses a webmail or a malformed domain with a French message on the field, keeping what was typed', async () => {
    const agency = await buildAgency({ name: 'CCAS domaines', typeCode: 'CCAS' });

    const webmail = await post(moderator, agency._id, 'ccas-ville.fr, orange.fr');
    const malformed = await post(moderator, agency._id, 'pas un domaine');

    expect(webmail.status).to.equal(422);
    expect(webmail.text).to.include('une messagerie ouverte à tous ne prouve pas');
    expect(webmail.text).to.include('value="ccas-ville.fr, orange.fr"');
    expect(malformed.status).to.equal(422);
    expect(malformed.text).to.include('Écrivez des domaines comme');
    expect((await Agency.findById(agency._id).lean<AgencyDoc>())!.emailDomains).to.deep.equal([]);
  });

  it('refuses a moderator of another région and a member', async () => {
    const agency = await buildAgency({ name: 'MDPH domaines', typeCode: 'MDPH' });

    const other = await post(elsewhere, agency._id, 'mdph-test.fr');
    const plain = await member
      .post(`/organismes/${agency._id}/domaines`)
      .type('form')
      .send({ _csrf: await csrfFrom(member, '/'), emailDomains: 'mdph-test.fr' });

    expect(other.status).to.equal(403);
    expect(plain.status).to.equal(403);
    expect((await Agency.findById(agency._id).lean<AgencyDoc>())!.emailDomains).to.deep.equal([]);
  });
});
