/**
 * How /recherche understands a query (docs/search.md): places set the zone,
 * an empty zone widens, numbers find the cards carrying them, acronyms
 * survive a slip, and the cards show their trust line.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { formatForDisplay } from '../../src/contacts/phone';
import { syncNow } from '../../src/search/indexer';
import { SearchMiss } from '../../src/search/search-miss.model';
import { type Agent, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const DAY = 24 * 3600 * 1000;

describe('search.scope (places, widening, numbers, acronyms, trust)', () => {
  let member: Agent;
  const ids: Record<string, string> = {};
  const numbers: Record<string, string> = {};

  before(async function () {
    this.timeout(60_000);
    member = await signedInAgent((await buildMember({ departement: '44', region: '52' })).email, TEST_PASSWORD);
    const gironde = { departement: '33', region: '75' };
    const cpam44 = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM', commune: 'Nantes' });
    const cpam33 = await buildAgency({ name: 'CPAM de la Gironde', typeCode: 'CPAM', commune: 'Mérignac', postcode: '33700', ...gironde });
    const ccas33 = await buildAgency({ name: 'CCAS de Pessac', typeCode: 'CCAS', commune: 'Pessac', postcode: '33600', ...gironde });
    const mdph69 = await buildAgency({
      name: 'Maison départementale-métropolitaine du Rhône',
      typeCode: 'MDPH',
      commune: 'Lyon',
      postcode: '69003',
      departement: '69',
      region: '84',
    });
    const mdph13 = await buildAgency({
      name: 'MDPH des Bouches-du-Rhône',
      typeCode: 'MDPH',
      commune: 'Marseille',
      postcode: '13006',
      departement: '13',
      region: '93',
    });
    const adil49 = await buildAgency({
      name: 'ADIL de Maine-et-Loire',
      typeCode: 'ADIL',
      commune: 'Angers',
      postcode: '49000',
      departement: '49',
      region: '52',
    });
    const ofii75 = await buildAgency({
      name: 'OFII direction territoriale de Paris',
      typeCode: 'OFII',
      commune: 'Paris',
      postcode: '75011',
      departement: '75',
      region: '11',
    });
    const ccas44 = await buildAgency({ name: 'CCAS de Rezé', typeCode: 'CCAS', commune: 'Rezé', postcode: '44400' });

    ids.cpam44 = String((await buildContact(cpam44, { service: 'Relations partenaires', topics: ['CSS'] }))._id);
    ids.cpam33 = String((await buildContact(cpam33, { service: 'Relations partenaires', topics: ['CSS'] }))._id);
    ids.ccas33 = String((await buildContact(ccas33, { service: 'Domiciliation', topics: ['DOMICILIATION'] }))._id);
    ids.mdph69 = String((await buildContact(mdph69, { service: 'Accueil des professionnels', topics: ['AAH'] }))._id);
    for (let i = 0; i < 4; i++) ids[`mdph13_${i}`] = String((await buildContact(mdph13, { service: `Pôle adultes ${i}`, topics: ['AAH'] }))._id);
    ids.adil49 = String((await buildContact(adil49, { service: 'Juristes', topics: ['EXPULSION_LOCATIVE'] }))._id);
    ids.ofii75 = String((await buildContact(ofii75, { service: 'Pôle asile', topics: ['ASILE'] }))._id);
    ids.ccas44 = String((await buildContact(ccas44, { service: 'Aides facultatives', topics: ['AIDES_FINANCIERES'] }))._id);

    // One switchboard shared by two cards, one of them restricted (its agent's name and direct line hidden).
    numbers.shared = nextFictionalNumber('33');
    numbers.hiddenDirect = nextFictionalNumber('33');
    numbers.pendingOnly = nextFictionalNumber('33');
    const phone = (e164: string, kind: string) => ({ e164, kind, numberType: 'fixed' });
    ids.sharedLine = String(
      (await buildContact(cpam33, { service: 'Standard partenaires', phones: [phone(numbers.shared, 'switchboard')], phoneKeys: [numbers.shared] }))._id,
    );
    ids.restricted = String(
      (
        await buildContact(cpam33, {
          kind: 'agent',
          agentFirstName: 'Odile',
          agentLastName: 'Masquée',
          service: 'Recouvrement',
          state: 'restricted',
          phones: [phone(numbers.hiddenDirect, 'direct'), phone(numbers.shared, 'switchboard')],
          phoneKeys: [numbers.hiddenDirect, numbers.shared],
        })
      )._id,
    );
    ids.pending = String(
      (
        await buildContact(cpam33, {
          service: 'Fiche en attente',
          state: 'pending',
          phones: [phone(numbers.pendingOnly, 'service')],
          phoneKeys: [numbers.pendingOnly],
        })
      )._id,
    );

    // Trust: one card above the display threshold (3), one below.
    ids.trusted = String(
      (
        await buildContact(ccas44, {
          service: 'Épicerie sociale',
          topics: ['AIDES_FINANCIERES'],
          lastVerifiedAt: new Date(Date.now() - 92 * DAY),
          counters: { confirmations: 4, helpful: 7, notHelpful: 1, reports: 0 },
        })
      )._id,
    );
    ids.fewVotes = String(
      (
        await buildContact(ccas44, {
          service: 'Accueil social',
          topics: ['AIDES_FINANCIERES'],
          counters: { confirmations: 2, helpful: 2, notHelpful: 0, reports: 0 },
        })
      )._id,
    );
    await syncNow();
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const json = (path: string) => member.get(path).set('Accept', 'application/json');
  const search = (q: string, extra = '') => json(`/recherche?q=${encodeURIComponent(q)}${extra}`);
  const hitIds = (body: { hits: Array<{ id: string }> }) => body.hits.map((h) => h.id);

  describe('places in the query', () => {
    it('scopes to the commune’s département, says so and offers the way back', async () => {
      const res = await search('cpam mérignac');
      const html = await member.get(`/recherche?q=${encodeURIComponent('cpam mérignac')}`);

      expect(res.body.scope).to.include({ departement: '33', reason: 'query', label: 'Gironde (33)' });
      expect(res.body.scope.place).to.include({ kind: 'commune', name: 'Mérignac' });
      expect(hitIds(res.body)).to.include(ids.cpam33);
      expect(res.body.hits.map((h: { agency: { name: string } }) => h.agency.name)).to.satisfy((names: string[]) =>
        names.every((n) => n === 'CPAM de la Gironde'),
      );
      expect(html.text).to.match(
        /Zone : <strong>Gironde \(33\)<\/strong> — d’après « Mérignac \(33\) » dans votre recherche ; <a href="[^"]*departement(?:=|&#x3D;)44[^"]*">revenir à Loire-Atlantique<\/a>/,
      );
    });

    it('reads a département by number or name and a postcode, and takes the place out of the words', async () => {
      const byNumber = await search('domiciliation 33');
      const byName = await search('ccas de la gironde');
      const byPostcode = await search('ccas 33600');

      for (const res of [byNumber, byName, byPostcode]) {
        expect(res.body.scope.departement).to.equal('33');
        expect(hitIds(res.body)).to.include(ids.ccas33);
      }
      expect(byNumber.body.scope.place).to.include({ kind: 'departement', code: '33' });
      expect(byPostcode.body.scope.place).to.include({ kind: 'postcode', code: '33600' });
    });

    it('takes « Rhône » for the Rhône, never for the Bouches-du-Rhône', async () => {
      const rhone = await search('mdph du rhône');
      const bouches = await search('MDPH Bouches-du-Rhône');

      expect(rhone.body.scope).to.include({ departement: '69', reason: 'query' });
      expect(hitIds(rhone.body)).to.deep.equal([ids.mdph69]);
      expect(bouches.body.scope.departement).to.equal('13');
      expect(hitIds(bouches.body)).not.to.include(ids.mdph69);
    });

    it('lets a zone the member chose beat the place in the words', async () => {
      const chosen = await search('cpam mérignac', '&departement=44');
      const france = await search('cpam mérignac', '&departement=&region=');

      expect(chosen.body.scope).to.include({ departement: '44', reason: 'explicit' });
      expect(chosen.body.scope.place).to.equal(null);
      expect(hitIds(chosen.body)).to.deep.equal([ids.cpam44]);
      expect(france.body.scope).to.include({ departement: null, region: null, reason: 'explicit' });
      expect(france.body.hits[0].agency.name).to.equal('CPAM de la Gironde');
    });

    it('keeps the member’s own département as the zone when the query names no place', async () => {
      const res = await search('cpam');

      expect(res.body.scope).to.include({ departement: '44', reason: 'default', label: 'Loire-Atlantique (44)' });
      expect(hitIds(res.body)).to.deep.equal([ids.cpam44]);
    });

    it('carries only a zone the member chose into the next search, never one read from a query', async () => {
      const fromQuery = await member.get(`/recherche?q=${encodeURIComponent('cpam mérignac')}`);
      const chosen = await member.get('/recherche?q=cpam&departement=33');
      const byDefault = await member.get('/recherche?q=cpam');

      expect(fromQuery.text).not.to.match(/type="hidden" name="departement"/);
      expect(byDefault.text).not.to.match(/type="hidden" name="departement"/);
      expect(chosen.text).to.include('<input type="hidden" name="departement" value="33">');
    });
  });

  describe('widening an empty zone', () => {
    it('goes to the région when the département has nothing, and says both', async () => {
      const res = await search('juristes adil');
      const html = await member.get('/recherche?q=juristes%20adil');

      expect(res.body.scope).to.include({ region: '52', departement: null, reason: 'widened', label: 'Pays de la Loire' });
      expect(res.body.scope.widenedFrom).to.deep.equal({ departement: '44', region: null, reason: 'default', label: 'Loire-Atlantique (44)' });
      expect(hitIds(res.body)).to.deep.equal([ids.adil49]);
      expect(html.text).to.include('<strong>Aucun résultat en Loire-Atlantique</strong> ; 1 en Pays de la Loire.');
    });

    it('goes to all of France when the région has nothing either, also from a zone read in the query', async () => {
      const res = await search('pôle asile');
      const fromPlace = await search('adil bordeaux');

      expect(res.body.scope).to.include({ region: null, departement: null, reason: 'widened' });
      expect(hitIds(res.body)).to.include(ids.ofii75);
      expect(fromPlace.body.scope).to.include({ departement: null, region: null, reason: 'widened' });
      expect(fromPlace.body.scope.widenedFrom).to.include({ departement: '33', reason: 'query' });
      expect(hitIds(fromPlace.body)).to.deep.equal([ids.adil49]);
      expect((await member.get('/recherche?q=adil%20bordeaux')).text).to.include('<strong>Aucun résultat en Gironde</strong> ; 1 dans toute la France.');
    });

    it('logs as « sans résultat » only the queries empty at every zone', async () => {
      await SearchMiss.deleteMany({});

      await search('juristes adil');
      await search('guichet introuvable quelque part');

      const misses = await SearchMiss.find({}).lean();
      expect(misses.map((m) => m.query)).to.deep.equal(['guichet introuvable quelque part']);
    });
  });

  describe('numbers', () => {
    it('finds a card by its number in any form, in all of France', async () => {
      const e164 = (await mongoose.connection.collection('contacts').findOne({ _id: new mongoose.Types.ObjectId(ids.ccas33) }))!.phones[0].e164 as string;
      const national = formatForDisplay(e164);

      for (const q of [national, national.replace(/ /g, ''), national.replace(/ /g, '.'), e164, `0033${e164.slice(3)}`]) {
        const res = await search(q);
        expect(hitIds(res.body), q).to.deep.equal([ids.ccas33]);
        expect(res.body.number, q).to.deep.equal({ e164, display: national });
        expect(res.body.scope, q).to.include({ departement: null, region: null, reason: 'query' });
      }
    });

    it('finds every card carrying a shared number; a restricted one shows no name and no direct line', async () => {
      const shared = await search(formatForDisplay(numbers.shared));
      const hidden = await search(numbers.hiddenDirect);
      const html = await member.get(`/recherche?q=${encodeURIComponent(numbers.hiddenDirect)}`);

      expect(hitIds(shared.body)).to.have.members([ids.sharedLine, ids.restricted]);
      expect(hitIds(hidden.body)).to.deep.equal([ids.restricted]);
      const card = hidden.body.hits[0];
      expect(card.name).to.equal(null);
      expect(card.phones.map((p: { e164: string }) => p.e164)).to.deep.equal([numbers.shared]);
      expect(JSON.stringify(hidden.body.hits)).not.to.include('Masquée').and.not.to.include(numbers.hiddenDirect);
      expect(html.text).not.to.include('Masquée');
      expect(html.text).to.include('Nom et ligne directe masqués');
    });

    it('never shows a card members may not see, and says plainly when no card carries the number', async () => {
      const pending = await search(numbers.pendingOnly);
      const html = await member.get(`/recherche?q=${encodeURIComponent(formatForDisplay(numbers.pendingOnly))}`);

      expect(pending.body.total).to.equal(0);
      expect(html.status).to.equal(200);
      expect(html.text).to.include(`Aucune fiche ne porte le numéro <strong>${formatForDisplay(numbers.pendingOnly)}</strong>`);
    });
  });

  describe('acronyms with a slip', () => {
    it('finds the office from its acronym with a letter missing or two letters swapped', async () => {
      expect(hitIds((await search('ofi', '&departement=')).body)).to.include(ids.ofii75);
      expect(hitIds((await search('dmph', '&departement=69')).body)).to.deep.equal([ids.mdph69]);
      expect(hitIds((await search('ccs')).body)).to.include(ids.ccas44);
    });

    it('does not make a 3-letter word match everything', async () => {
      const cas = await search('cas', '&departement=');
      const ras = await search('ras', '&departement=');

      expect(hitIds(cas.body)).not.to.include(ids.ccas44).and.not.to.include(ids.ccas33);
      expect(ras.body.total).to.equal(0);
    });
  });

  describe('result cards', () => {
    it('show one trust line, with counts from the display threshold (3) on', async () => {
      const html = (await member.get('/recherche?q=ccas')).text;

      expect(html).to.include('vérifié il y a 3 mois · confirmé par 4 collègues · utile à 7');
      const fewVotes = new RegExp(`data-contact-id="${ids.fewVotes}"[\\s\\S]*?class="hit__trust">([^<]*)<`).exec(html)?.[1];
      expect(fewVotes).to.equal('vérifié aujourd’hui');
    });

    it('copy the number as shown, not its E.164 form', async () => {
      const html = (await member.get('/recherche?q=ccas')).text;

      expect(html).to.match(/data-copy="0\d( \d\d){4}"/);
      expect(html).not.to.match(/data-copy="\+/);
    });
  });
});
