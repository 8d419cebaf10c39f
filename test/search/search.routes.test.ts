import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { indexUid, meili } from '../../src/search/meili-client';
import { kickSearchSync, flushSearchSync, pendingSearchSync, syncNow } from '../../src/search/indexer';
import { SearchMiss } from '../../src/search/search-miss.model';
import { markForSearch } from '../../src/search/search-outbox';
import { type Agent, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, TEST_PASSWORD } from '../support/factories';
import { restartSearch, stopSearch } from '../support/services';

describe('search.routes', () => {
  let member: Agent;
  const ids: Record<string, string> = {};

  before(async function () {
    this.timeout(60_000);
    member = await signedInAgent((await buildMember({ departement: '44', region: '52' })).email, TEST_PASSWORD);
    const cpam = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM', commune: 'Nantes' });
    const caf = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' });
    const ft = await buildAgency({ name: 'France Travail Nantes Est', typeCode: 'FRANCE_TRAVAIL', commune: 'Nantes' });
    const mdph = await buildAgency({ name: 'Maison départementale des personnes handicapées de Loire-Atlantique', typeCode: 'MDPH', commune: 'Nantes' });
    const gironde = await buildAgency({ name: 'CAF de la Gironde', typeCode: 'CAF', departement: '33', region: '75', commune: 'Bordeaux' });
    ids.cpam = String((await buildContact(cpam, { service: 'Pôle partenaires', topics: ['PUMA_C2S'] }))._id);
    ids.caf = String((await buildContact(caf, { service: 'Cellule partenaires RSA', topics: ['RSA'] }))._id);
    ids.cafOther = String((await buildContact(caf, { service: 'Accueil familles', topics: ['PRESTATIONS_FAMILIALES'] }))._id);
    ids.ft = String((await buildContact(ft, { service: 'Équipe entreprises', topics: ['INSCRIPTION_EMPLOI'] }))._id);
    ids.mdph = String((await buildContact(mdph, { service: 'Accueil professionnels', topics: ['AAH'] }))._id);
    ids.gironde = String((await buildContact(gironde, { service: 'Cellule partenaires RSA', topics: ['RSA'] }))._id);
    ids.pending = String((await buildContact(caf, { service: 'Fiche pending RSA', state: 'pending', topics: ['RSA'] }))._id);
    ids.rejected = String((await buildContact(caf, { service: 'Fiche rejected RSA', state: 'rejected', topics: ['RSA'] }))._id);
    ids.archived = String((await buildContact(caf, { service: 'Fiche archived RSA', state: 'archived', topics: ['RSA'] }))._id);
    const restrictedPhone = '+33261910999';
    ids.restricted = String(
      (await buildContact(caf, {
        kind: 'agent',
        agentFirstName: 'Cachée',
        agentLastName: 'Personne',
        service: 'Service indus RSA',
        state: 'restricted',
        phones: [{ e164: restrictedPhone, kind: 'direct', numberType: 'fixed' }, { e164: '+33261910998', kind: 'switchboard', numberType: 'fixed' }],
        phoneKeys: [restrictedPhone, '+33261910998'],
      }))._id,
    );
    await syncNow();
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const json = (agent: Agent, path: string) => agent.get(path).set('Accept', 'application/json');
  const hitIds = (body: { hits: Array<{ id: string }> }) => body.hits.map((h) => h.id);

  it('finds the CPAM of Nantes despite a typo ("cpam nantse")', async () => {
    const res = await json(member, '/recherche?q=cpam%20nantse');

    expect(res.status).to.equal(200);
    expect(hitIds(res.body)[0]).to.equal(ids.cpam);
  });

  it('finds the CAF 44 RSA line for "caf 44 rsa"', async () => {
    const res = await json(member, '/recherche?q=caf%2044%20rsa&departement=');

    const found = hitIds(res.body);
    expect(found[0]).to.equal(ids.caf);
    // Words that do not all match still return, ranked lower (matching strategy "last").
    if (found.includes(ids.gironde)) expect(found.indexOf(ids.gironde)).to.be.greaterThan(found.indexOf(ids.caf));
  });

  it('finds France Travail for "pole emploi" and the MDPH for "mda"', async () => {
    const ft = await json(member, '/recherche?q=pole%20emploi');
    const mda = await json(member, '/recherche?q=mda');

    expect(hitIds(ft.body)).to.include(ids.ft);
    expect(hitIds(mda.body)[0]).to.equal(ids.mdph);
  });

  it('never returns pending, rejected or archived contacts, and restricted ones without name or direct line', async () => {
    const res = await json(member, '/recherche?q=rsa&departement=');
    const html = await member.get('/recherche?q=rsa&departement=');

    const found = hitIds(res.body);
    expect(found).to.include.members([ids.caf, ids.gironde, ids.restricted]);
    expect(found).not.to.include.members([ids.pending, ids.rejected, ids.archived]);
    const restricted = res.body.hits.find((h: { id: string }) => h.id === ids.restricted);
    expect(restricted.name).to.equal(null);
    expect(restricted.phones.map((p: { e164: string }) => p.e164)).to.deep.equal(['+33261910998']);
    expect(JSON.stringify(res.body)).not.to.include('Cachée');
    expect(html.text).not.to.include('Cachée');
    expect(html.text).not.to.include('Fiche pending');
  });

  it('leaves out a card that stopped being visible, and shows a changed one as it is now, while the engine still holds the old documents', async () => {
    const agency = await buildAgency({ name: 'CARSAT des Pays de la Loire', typeCode: 'CARSAT', commune: 'Nantes' });
    const hidden = await buildContact(agency, { service: 'Cellule retraite Quetzal' });
    const changed = await buildContact(agency, { service: 'Accueil retraite Quetzal' });
    await syncNow();
    const before = await json(member, '/recherche?q=quetzal&departement=');
    // What a lagging engine leaves behind: the writes are marked for the sync, which has not pushed them.
    await markForSearch('c', [hidden._id, changed._id]);
    const contacts = mongoose.connection.collection('contacts');
    await contacts.updateOne({ _id: hidden._id }, { $set: { state: 'archived' } });
    await contacts.updateOne({ _id: changed._id }, { $set: { service: 'Accueil retraite Quetzal, étage 2' } });

    const res = await json(member, '/recherche?q=quetzal&departement=');
    const html = await member.get('/recherche?q=quetzal&departement=');
    const engine = await meili().index(indexUid('contacts')).search('quetzal');
    await syncNow();

    expect(hitIds(before.body)).to.have.members([String(hidden._id), String(changed._id)]);
    expect(engine.hits.map((h) => h.id)).to.include(String(hidden._id));
    expect(hitIds(res.body)).to.deep.equal([String(changed._id)]);
    expect(res.body.total).to.equal(1);
    expect(JSON.stringify(res.body)).to.include('étage 2');
    expect(html.text).not.to.include('Cellule retraite Quetzal');
    expect(html.text).to.include('étage 2');
  });

  it('answers the documented JSON shape', async () => {
    const res = await json(member, '/recherche?q=caf&departement=44');

    expect(res.body).to.have.keys(['query', 'total', 'page', 'degraded', 'scope', 'number', 'hits', 'facets']);
    expect(res.body.scope).to.deep.equal({ departement: '44', region: null, type: null, thematique: null, reason: 'explicit', label: 'Loire-Atlantique (44)', place: null, widenedFrom: null });
    expect(res.body.hits[0]).to.include.keys(['id', 'agency', 'name', 'function', 'phones', 'topics', 'departement', 'region', 'state']);
    expect(res.body.query).to.equal('caf');
  });

  it('pre-selects the member’s département and widens in one click', async () => {
    const own = await member.get('/recherche?q=caf');
    const france = await json(member, '/recherche?q=caf&departement=&region=');

    expect(own.text).to.include('Loire-Atlantique (44)');
    expect(own.text).to.include('Élargir à la région Pays de la Loire');
    expect(own.text).to.include('Élargir à toute la France');
    expect(own.text).not.to.include('CAF de la Gironde');
    expect(hitIds(france.body)).to.include(ids.gironde);
  });

  it('shows facet counts that agree with the results they lead to', async () => {
    const all = await json(member, '/recherche?q=&departement=&region=');

    for (const [code, count] of Object.entries(all.body.facets.departement as Record<string, number>)) {
      const filtered = await json(member, `/recherche?q=&departement=${code}`);
      expect(filtered.body.total, `département ${code}`).to.equal(count);
    }
    const byType = await json(member, '/recherche?q=&departement=&type=CAF');
    expect(byType.body.total).to.equal(all.body.facets.agencyTypeCode.CAF);
  });

  it('renders cards with data-contact-id, tel: links and a proposal to widen or add when nothing matches', async () => {
    const hit = await member.get('/recherche?q=cpam');
    const none = await member.get('/recherche?q=zzzyyyxxx');

    expect(hit.text).to.include(`data-contact-id="${ids.cpam}"`);
    expect(hit.text).to.match(/href="tel:\+33/);
    expect(hit.text).to.match(/<mark>CPAM<\/mark>/);
    expect(none.text).to.include('Aucun contact ne correspond');
    expect(none.text).to.include('href="/contacts/nouveau"');
  });

  it('records zero-result queries, except those holding an identifier', async () => {
    await json(member, '/recherche?q=bailleur%20introuvable%20xyz');
    await json(member, '/recherche?q=2%2055%2008%2014%20168%20025%2038');

    const misses = await SearchMiss.find({}).lean();
    expect(misses.map((m) => m.query)).to.include('bailleur introuvable xyz');
    expect(JSON.stringify(misses)).not.to.include('168');
  });

  it('rejects unknown filter codes with a French 400', async () => {
    const res = await member.get('/recherche?q=caf&departement=999');

    expect(res.status).to.equal(400);
    expect(res.text).to.include('Les paramètres de la demande sont invalides');
  });

  it('falls back to a partial database search with a banner while Meilisearch is down', async function () {
    this.timeout(60_000);
    await stopSearch();
    try {
      const res = await member.get('/recherche?q=cpam');
      const body = (await json(member, '/recherche?q=cpam')).body;

      expect(res.status).to.equal(200);
      expect(res.text).to.include('Résultats partiels');
      expect(body.degraded).to.equal(true);
      expect(hitIds(body)).to.include(ids.cpam);
    } finally {
      await restartSearch();
    }
  });

  it('loses no write across a Meilisearch outage', async function () {
    this.timeout(120_000);
    const agency = await buildAgency({ name: 'CCAS de Saint-Herblain', typeCode: 'CCAS', commune: 'Saint-Herblain' });
    await stopSearch();
    const written: string[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const c = await buildContact(agency, { service: `Permanence ${i}` });
        written.push(String(c._id));
        kickSearchSync();
      }
      await Contact.updateOne({ _id: written[0] }, { $set: { service: 'Permanence renommée', searchDirty: true }, $inc: { revision: 1 } });
      kickSearchSync();
      await flushSearchSync();
      expect((await pendingSearchSync()).contacts).to.be.greaterThan(0);
    } finally {
      await restartSearch();
    }

    await syncNow();

    const index = meili().index(indexUid('contacts'));
    const docs = await index.getDocuments({ filter: `agencyId = "${agency._id}"`, limit: 100, fields: ['id', 'service'] });
    expect(docs.results.map((d) => d.id).sort()).to.deep.equal([...written].sort());
    expect(docs.results.find((d) => d.id === written[0])?.service).to.equal('Permanence renommée');
    expect((await pendingSearchSync()).contacts).to.equal(0);
  });
});
