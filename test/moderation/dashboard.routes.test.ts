import { expect } from 'chai';
import { syncNow } from '../../src/search/indexer';
import mongoose, { Types } from 'mongoose';
import { refreshDashboardCounts } from '../../src/moderation/dashboard.service';
import { signedInAgent } from '../support/agent';
import { buildAdmin, buildAgency, buildContact, buildMember, buildModerator, insertQueueItems, TEST_PASSWORD } from '../support/factories';

const DAY = 24 * 3600 * 1000;

/** The page as a browser reads it: Handlebars escapes « = » in attributes. */
const page = (res: { text: string }) => res.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The hidden table row of a coverage grid for a place: its figures, in column order. */
function coverageRow(html: string, label: string): number[] {
  const row = new RegExp(`<th scope="row">${label}</th>((?:<td>\\d+</td>)+)`).exec(html);
  expect(row, `no coverage row for ${label}`).to.not.equal(null);
  return [...row![1].matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

describe('dashboard.routes', () => {
  beforeEach(async () => {
    await refreshDashboardCounts();
    await mongoose.connection.collection('rate_limits').deleteMany({});
  });

  describe('GET /moderation', () => {
    it('shows a moderator the open items per type of their région, the oldest, and links to the queue', async () => {
      const mod = await buildModerator(['53'], { departement: '35', region: '53' });
      const item = (type: string, ageDays: number, region = '53') => ({
        type, targetType: 'contact', targetId: new Types.ObjectId(), region, status: 'open', reasons: [], notes: [], timeline: [], version: 1,
        createdAt: new Date(Date.now() - ageDays * DAY - 3600_000), updatedAt: new Date(),
      });
      await insertQueueItems([
        item('new_contact', 2), item('new_contact', 10), item('report', 0), item('objection', 30, '52'),
      ]);
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const res = await agent.get('/moderation');
      const html = page(res);

      expect(res.status).to.equal(200);
      expect(res.text).to.include('3 éléments ouverts.');
      expect(res.text).to.include('Le plus ancien attend depuis 10 jours (Nouveau contact)');
      expect(html).to.include('href="/moderation/file?type=new_contact">2<span');
      expect(html).to.include('href="/moderation/file?type=report">1<span');
      expect(html).to.include('href="/moderation/file?type=objection">0<span');
      expect(res.text).to.include('<h3 id="couverture-53-title">Bretagne</h3>');
      expect(res.text).not.to.include('Pays de la Loire');
    });

    it('draws the coverage of the région as an SVG with the same figures in a table', async () => {
      const mod = await buildModerator(['44'], { departement: '67', region: '44' }); // Grand Est
      const caf = await buildAgency({ typeCode: 'CAF', departement: '67', region: '44', commune: 'Strasbourg', postcode: '67000' });
      const ccas = await buildAgency({ typeCode: 'CCAS', departement: '67', region: '44', commune: 'Strasbourg', postcode: '67000' });
      const mdph = await buildAgency({ typeCode: 'MDPH', departement: '57', region: '44', commune: 'Metz', postcode: '57000' });
      for (const state of ['published', 'published', 'needs_check', 'pending']) await buildContact(caf, { state });
      await buildContact(ccas);
      await buildContact(mdph, { state: 'restricted' });
      await buildContact(mdph, { state: 'archived' });
      await syncNow(); // coverage is counted from the search index
      await refreshDashboardCounts();
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const res = await agent.get('/moderation');

      expect(res.status).to.equal(200);
      expect(res.text).to.match(/<svg class="chart chart--grid"[^>]*aria-hidden="true"/);
      // Columns: Sécurité sociale, Emploi, Département et MDPH, Commune, …, Total.
      const bas = coverageRow(res.text, '67 · Bas-Rhin');
      const moselle = coverageRow(res.text, '57 · Moselle');
      expect(bas.slice(0, 4)).to.deep.equal([3, 0, 0, 1]);
      expect(bas.at(-1)).to.equal(4);
      expect(moselle.slice(0, 4)).to.deep.equal([0, 0, 1, 0]);
      expect(coverageRow(res.text, '08 · Ardennes').at(-1)).to.equal(0);
      expect(res.text).to.include('<title>67 · Bas-Rhin · Sécurité sociale et retraite : 3 fiches</title>');
      expect(res.text).to.include('5 fiches · ');
    });

    it('counts decisions of the last weeks and lists the most frequent zero-result searches', async () => {
      const mod = await buildModerator(['32'], { departement: '59', region: '32' }); // Hauts-de-France
      const event = (action: string, daysAgo: number, region = '32') => ({
        at: new Date(Date.now() - daysAgo * DAY), action, actorId: new Types.ObjectId(), actorName: 'X', targetType: 'contact', targetId: new Types.ObjectId(), region, changes: [],
      });
      await mongoose.connection.collection('moderation_events').insertMany([
        event('contact.approve', 0), event('contact.reject', 14), event('queue.claim', 1), event('contact.approve', 2, '11'), event('contact.approve', 80),
      ]);
      await mongoose.connection.collection('search_misses').insertMany(
        Array.from({ length: 12 }, (_, i) => ({ key: `recherche ${i}`, query: `recherche ${i}`, region: '32', count: i + 1, lastAt: new Date() })).concat([
          { key: 'ailleurs', query: 'ailleurs', region: '11', count: 99, lastAt: new Date() },
        ]),
      );
      await syncNow(); // coverage is counted from the search index
      await refreshDashboardCounts();
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const res = await agent.get('/moderation');

      expect(res.text).to.include('2 décisions sur les huit dernières semaines');
      expect(res.text).to.include('<td>recherche 11</td>');
      expect(res.text).to.include('<td>recherche 2</td>');
      expect(res.text).not.to.include('<td>recherche 1</td>');
      expect(res.text).not.to.include('ailleurs');
      expect(res.text.indexOf('recherche 11')).to.be.lessThan(res.text.indexOf('recherche 10'));
    });

    it('says « la recherche » in the singular when one search found nothing, « les 2 recherches » for two', async () => {
      const mod = await buildModerator(['28'], { departement: '76', region: '28' }); // Normandie
      const miss = (query: string) => ({ key: query, query, region: '28', count: 1, lastAt: new Date() });
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      await mongoose.connection.collection('search_misses').insertMany([miss('caf rouen')]);
      const one = await agent.get('/moderation');
      await mongoose.connection.collection('search_misses').insertMany([miss('mdph rouen')]);
      const two = await agent.get('/moderation');

      expect(one.text).to.include('La recherche sans résultat la plus fréquente : des contacts à trouver ?');
      expect(two.text).to.include('Les 2 recherches sans résultat les plus fréquentes : des contacts à trouver ?');
    });

    it('answers 403 when a moderator asks for a région they do not moderate, and 400 for an unknown one', async () => {
      const mod = await buildModerator(['53'], { departement: '35', region: '53' });
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const other = await agent.get('/moderation?region=11');
      const unknown = await agent.get('/moderation?region=99');

      expect(other.status).to.equal(403);
      expect(other.text).to.include('Vous ne modérez pas cette région');
      expect(unknown.status).to.equal(400);
    });

    it('lets a moderator of several régions pick one', async () => {
      const mod = await buildModerator(['53', '52']);
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const both = await agent.get('/moderation');
      const one = await agent.get('/moderation?region=52');

      expect(both.text).to.include('<h3 id="couverture-52-title">Pays de la Loire</h3>');
      expect(both.text).to.include('<h3 id="couverture-53-title">Bretagne</h3>');
      expect(both.text).to.include('<option value="52" >Pays de la Loire</option>');
      expect(one.text).to.include('<h3 id="couverture-52-title">Pays de la Loire</h3>');
      expect(one.text).not.to.include('couverture-53-title');
      expect(page(one)).to.include('href="/moderation/file?type=new_contact&region=52"');
    });

    it('shows an admin a national grid by région, and one région on demand', async () => {
      const admin = await buildAdmin();
      const agency = await buildAgency({ typeCode: 'FRANCE_TRAVAIL', departement: '974', region: '04', commune: 'Saint-Denis', postcode: '97400' });
      await buildContact(agency);
      await syncNow(); // coverage is counted from the search index
      await refreshDashboardCounts();
      const agent = await signedInAgent(admin.email, TEST_PASSWORD);

      const national = await agent.get('/moderation');
      const reunion = await agent.get('/moderation?region=04');

      expect(national.status).to.equal(200);
      expect(national.text).to.include('Toutes les régions');
      expect(coverageRow(national.text, 'La Réunion').slice(0, 2)).to.deep.equal([0, 1]);
      expect(coverageRow(reunion.text, '974 · La Réunion').slice(0, 2)).to.deep.equal([0, 1]);
    });

    it('is refused to a member', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);

      const res = await agent.get('/moderation');

      expect(res.status).to.equal(403);
    });
  });
});
