import { expect } from 'chai';
import mongoose from 'mongoose';
import { waitForMail } from '../../src/mail/mail-catcher';
import { SecurityEvent } from '../../src/security/security-event.model';
import { countUsage, parisDayHour } from '../../src/security/usage-caps';
import { syncNow } from '../../src/search/indexer';
import { clearThresholdsCache, DEFAULT_THRESHOLDS, saveThresholds } from '../../src/settings/thresholds';
import { type Agent, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

describe('security.usage-caps', () => {
  let member: Agent;
  let memberId: string;
  let contactIds: string[];
  const moderatorEmail = `moderatrice.caps.${Date.now()}@ccas-test.fr`;

  before(async () => {
    const m = await buildMember({ firstName: 'Claude', lastName: 'Copieur' });
    memberId = String(m._id);
    member = await signedInAgent(m.email, TEST_PASSWORD);
    await buildModerator(['52'], { email: moderatorEmail });
    const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
    contactIds = [];
    for (let i = 0; i < 4; i++) contactIds.push(String((await buildContact(agency))._id));
    await syncNow();
  });

  beforeEach(async () => {
    await mongoose.connection.collection('rate_limits').deleteMany({});
    await saveThresholds({ contactViewsPerHour: 3, contactViewsPerDay: 50, vcardsPerHour: 50, vcardsPerDay: 2, searchesPerHour: 50, searchesPerDay: 50 });
  });

  after(async () => {
    await saveThresholds(DEFAULT_THRESHOLDS);
    clearThresholdsCache();
  });

  it('answers a French 429 page past the hourly cap of contact views, logs it once and tells the région’s moderators', async () => {
    const seen = [];
    for (const id of contactIds) seen.push(await member.get(`/contacts/${id}`));
    const again = await member.get(`/contacts/${contactIds[0]}`);
    const json = await member.get(`/contacts/${contactIds[0]}`).set('Accept', 'application/json');

    expect(seen.slice(0, 3).map((r) => r.status)).to.deep.equal([200, 200, 200]);
    expect(seen[3].status).to.equal(429);
    expect(seen[3].text).to.include('<html lang="fr">').and.include('Limite de consultation atteinte');
    expect(seen[3].text).to.include('Vous avez atteint la limite de 3 fiches consultées par heure');
    expect(seen[3].text).to.include('ne permet pas de copier l’annuaire en masse');
    expect(Number(seen[3].headers['retry-after'])).to.be.within(1, 3600);
    expect(again.status).to.equal(429);
    expect(json.status).to.equal(429);
    expect(json.body.error).to.include({ status: 429, code: 'usage_cap' });
    const events = await SecurityEvent.find({ memberId, type: 'usage_cap_reached' }).lean();
    expect(events.map((e) => e.detail)).to.deep.equal(['contact_view:hour:3']);
    const alert = await waitForMail(moderatorEmail, /limite de consultation/);
    expect(alert.text).to.include('Claude Copieur').and.include(`/moderation/membres/${memberId}`);
  });

  it('caps vCards per day on their own counter, while contact pages still open', async () => {
    const cards = [];
    for (let i = 0; i < 3; i++) cards.push(await member.get(`/contacts/${contactIds[i]}/vcard`));
    const page = await member.get(`/contacts/${contactIds[0]}`);

    expect(cards.map((r) => r.status)).to.deep.equal([200, 200, 429]);
    expect(cards[2].text).to.include('Vous avez atteint la limite de 2 cartes de visite téléchargées par jour. Vous pourrez reprendre demain.');
    expect(page.status).to.equal(200);
  });

  it('caps searches, and serves JSON result pages only up to the configured depth', async () => {
    await saveThresholds({ searchesPerHour: 3, searchJsonMaxPage: 2 });

    const deep = await member.get('/recherche?q=caf&departement=&page=3').set('Accept', 'application/json');
    const deepHtml = await member.get('/recherche?q=caf&departement=&page=3');
    const second = await member.get('/recherche?q=caf&departement=&page=2').set('Accept', 'application/json');
    const third = await member.get('/recherche?q=caf&departement=');
    const over = await member.get('/recherche?q=caf&departement=').set('Accept', 'application/json');

    expect(deep.status).to.equal(400);
    expect(deep.body.error.message).to.include('Les résultats s’arrêtent à la page 2');
    expect(deepHtml.status).to.equal(200);
    expect(second.status).to.equal(200);
    expect(third.status).to.equal(200);
    expect(over.status).to.equal(429);
    expect(over.body.error.message).to.include('limite de 3 recherches par heure');
  });

  it('keeps one counter document per member, kind and Paris day, keyed by _id, with the hour inside', async () => {
    const now = new Date('2026-12-02T23:30:00Z');

    const first = await countUsage('search', memberId, now);
    const second = await countUsage('search', memberId, new Date(now.getTime() + 10 * 60_000));

    const { day, hour } = parisDayHour(now);
    expect({ day, hour }).to.deep.equal({ day: '2026-12-03', hour: 0 });
    expect(first).to.deep.equal({ hour: 1, day: 1 });
    expect(second).to.deep.equal({ hour: 2, day: 2 });
    const doc = await mongoose.connection.collection('rate_limits').findOne({ _id: `usage:search:${memberId}:2026-12-03` as never });
    expect(doc).to.include({ day: 2, h0: 2 });
    expect(doc!.expire).to.be.instanceOf(Date);
  });
});
