/**
 * The search-quality set: queries written the way members type them (typos,
 * places, acronyms, numbers, topics), asked as the demo member of
 * Loire-Atlantique with the page's default scope (no zone parameter) against
 * the demo data. Reports hit@5: the share of queries whose expected office is
 * among the first five results. docs/search.md gives the figures over time.
 */
import { expect } from 'chai';
import { Agency } from '../../src/agencies/agency.model';
import { formatForDisplay } from '../../src/contacts/phone';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { syncNow } from '../../src/search/indexer';
import { saveThresholds } from '../../src/settings/thresholds';
import { seedDemo } from '../../seeds/demo';
import { DEMO_PASSWORD } from '../../seeds/members';
import { type Agent, signedInAgent } from '../support/agent';

/** A query and the agency names any of which, in the top 5, counts as a hit. */
type Case = { q: string; expect: string[]; kind: 'place' | 'typo' | 'acronym' | 'topic' | 'number' | 'wider' };

const c = (kind: Case['kind'], q: string, ...expected: string[]): Case => ({ q, expect: expected, kind });

const CASES: Case[] = [
  // Places named in the query, as communes, départements (name or number), postcodes, régions.
  c('place', 'caf nantes', 'CAF de Loire-Atlantique'),
  c('place', 'cpam angers', 'CPAM de Maine-et-Loire'),
  c('place', 'mdph rennes', "MDPH d'Ille-et-Vilaine"),
  c('place', 'ccas bordeaux', 'CCAS de Bordeaux'),
  c('place', 'siao gironde', 'SIAO de la Gironde'),
  c('place', 'prefecture lille', 'Préfecture du Nord'),
  c('place', 'caf toulouse', 'CAF de la Haute-Garonne'),
  c('place', 'france travail strasbourg', 'France Travail Strasbourg Meinau'),
  c('place', 'cgss reunion', 'CGSS de La Réunion'),
  c('place', 'caf 974', 'CAF de La Réunion'),
  c('place', 'mdph 93', 'MDPH de la Seine-Saint-Denis'),
  c('place', 'cpam 13', 'CPAM des Bouches-du-Rhône'),
  c('place', 'ccas 35000', 'CCAS de Rennes'),
  c('place', 'pole emploi 69003', 'France Travail Lyon Part-Dieu'),
  c('place', 'bailleur social bas rhin', 'Ophéa'),
  c('place', 'caf haute garonne', 'CAF de la Haute-Garonne'),
  c('place', 'cpam seine st denis', 'CPAM de la Seine-Saint-Denis'),
  c('place', 'ccas st nazaire', 'CCAS de Saint-Nazaire'),
  c('place', 'mdph bouches du rhone', 'MDPH des Bouches-du-Rhône'),
  c('place', 'caf rhone', 'CAF du Rhône'),
  c('place', 'hebergement urgence paris', 'SIAO de Paris'),
  c('place', 'assurance maladie roubaix', 'CPAM de Roubaix-Tourcoing'),
  c('place', 'cpam tourcoing', 'CPAM de Roubaix-Tourcoing'),
  c('place', '115 bordeaux', 'SIAO de la Gironde'),
  c('place', 'prefecture titre sejour strasbourg', 'Préfecture du Bas-Rhin'),
  c('place', 'cpam paris', 'CPAM de Paris'),
  c('place', 'point justice paris', 'Point-justice Paris 18e'),
  c('place', 'caf vendee', 'CAF de la Vendée'),
  c('place', 'msa la roche sur yon', 'MSA Loire-Atlantique – Vendée'),
  c('place', 'hlm angers', 'Angers Loire Habitat'),
  c('place', 'mission locale rennes', 'Mission locale du bassin rennais'),
  c('place', 'mda angers', "MDA de Maine-et-Loire (Maison départementale de l'autonomie)"),
  c('place', 'caf ille et vilaine', "CAF d'Ille-et-Vilaine"),
  c('place', 'carsat nantes', 'CARSAT Pays de la Loire'),
  // Typos, in the office's word and in the place.
  c('typo', 'caf bordeau', 'CAF de la Gironde'),
  c('typo', 'mdph strasbour', 'MDPH du Bas-Rhin'),
  c('typo', 'prefecture toulous', 'Préfecture de la Haute-Garonne'),
  c('typo', 'caf marseile', 'CAF des Bouches-du-Rhône'),
  c('typo', 'france travial st nazaire', 'France Travail Saint-Nazaire'),
  c('typo', 'banque de frnace surendetement', 'Banque de France – succursale de Nantes'),
  // Acronyms, whole or with one letter wrong or missing.
  c('acronym', 'ofi paris', 'OFII – direction territoriale de Paris'),
  c('acronym', 'ofii', 'OFII – direction territoriale de Nantes'),
  c('acronym', 'cpma', 'CPAM de Loire-Atlantique'),
  c('acronym', 'mdh', 'MDPH de Loire-Atlantique'),
  c('acronym', 'sia', 'SIAO de Loire-Atlantique'),
  c('acronym', 'adl', 'ADIL de Loire-Atlantique'),
  c('acronym', 'cca', 'CCAS de Nantes', 'CCAS de Saint-Nazaire'),
  c('acronym', 'pass nantes', 'CHU de Nantes – service social et PASS'),
  c('acronym', 'carsat', 'CARSAT Pays de la Loire'),
  c('acronym', 'ddets nantes', 'DDETS de la Loire-Atlantique'),
  // Topics, in the member's own département.
  c('topic', 'surendettement', 'Banque de France – succursale de Nantes'),
  c('topic', 'titre de sejour', 'Préfecture de la Loire-Atlantique'),
  c('topic', 'aah', 'MDPH de Loire-Atlantique'),
  c('topic', 'apl', 'CAF de Loire-Atlantique'),
  c('topic', 'rsa', 'CAF de Loire-Atlantique', 'Département de Loire-Atlantique – service insertion'),
  c('topic', 'demande d asile', 'OFII – direction territoriale de Nantes', 'Préfecture de la Loire-Atlantique'),
  // Nothing in the member's département: the answer is further away.
  c('wider', 'cgss', 'CGSS de La Réunion'),
  c('wider', 'utpas', 'UTPAS de Lille-Moulins'),
  c('wider', 'interlogement', 'Interlogement 93 (SIAO de la Seine-Saint-Denis)'),
];

/** Floor for the suite: the figure reached when this set was written, less a small margin. */
const MIN_HIT_AT_5 = 0.9;

/** The first number of a published contact of this agency, as members see it and as they paste it. */
async function numberOf(agencyName: string): Promise<{ contactId: string; e164: string }> {
  const agency = await Agency.findOne({ name: agencyName }).lean();
  if (!agency) throw new Error(`no demo agency ${agencyName}`);
  const contact = await Contact.findOne({
    agencyId: agency._id,
    state: 'published',
    'phones.0': { $exists: true },
    'phones.0.kind': { $ne: 'switchboard' },
  }).lean<ContactDoc>();
  if (!contact) throw new Error(`no published contact with a number at ${agencyName}`);
  return { contactId: String(contact._id), e164: contact.phones[0].e164 };
}

describe('search quality (demo data, member of Loire-Atlantique)', () => {
  let member: Agent;
  const numberCases: Array<{ q: string; contactId: string }> = [];

  before(async function () {
    this.timeout(180_000);
    await seedDemo(() => undefined);
    await syncNow();
    await saveThresholds({ searchesPerHour: 100_000, searchesPerDay: 100_000 });
    member = await signedInAgent('membre@demo.test', DEMO_PASSWORD);
    // Numbers as members paste them: spaced national, bare digits, international; metropolitan and overseas.
    for (const agencyName of ['CAF du Nord', 'CPAM de Loire-Atlantique', 'CAF de La Réunion']) {
      const { contactId, e164 } = await numberOf(agencyName);
      const national = formatForDisplay(e164);
      numberCases.push({ q: national, contactId }, { q: national.replace(/\s/g, ''), contactId }, { q: e164, contactId });
    }
    const first = numberCases[0];
    numberCases.push({ q: `0033 ${first.q.slice(1)}`, contactId: first.contactId }, { q: first.q.replace(/\s/g, '.'), contactId: first.contactId });
  });

  it(`finds the right office in the top 5 for at least ${MIN_HIT_AT_5 * 100} % of ${CASES.length}+ realistic queries`, async function () {
    this.timeout(120_000);
    const misses: string[] = [];
    const byKind = new Map<string, { hits: number; total: number }>();
    const count = (kind: string, hit: boolean) => {
      const k = byKind.get(kind) ?? { hits: 0, total: 0 };
      k.total++;
      if (hit) k.hits++;
      byKind.set(kind, k);
    };

    for (const test of CASES) {
      const res = await member.get(`/recherche?q=${encodeURIComponent(test.q)}`).set('Accept', 'application/json');
      expect(res.status, test.q).to.equal(200);
      const top = (res.body.hits as Array<{ agency: { name: string } }>).slice(0, 5).map((h) => h.agency.name);
      const hit = top.some((name) => test.expect.includes(name));
      count(test.kind, hit);
      if (!hit) misses.push(`« ${test.q} » (${test.kind}) → ${top.join(' | ') || 'aucun résultat'}`);
    }
    for (const test of numberCases) {
      const res = await member.get(`/recherche?q=${encodeURIComponent(test.q)}`).set('Accept', 'application/json');
      expect(res.status, test.q).to.equal(200);
      const hit = (res.body.hits as Array<{ id: string }>).slice(0, 5).some((h) => h.id === test.contactId);
      count('number', hit);
      if (!hit) misses.push(`« ${test.q} » (number) → ${res.body.total} résultat(s)`);
    }

    const total = CASES.length + numberCases.length;
    const hits = total - misses.length;
    const kinds = [...byKind.entries()].map(([kind, k]) => `${kind} ${k.hits}/${k.total}`).join(', ');
    process.stderr.write(`\n      search quality: hit@5 = ${hits}/${total} (${Math.round((hits / total) * 100)} %) — ${kinds}\n`);
    for (const miss of misses) process.stderr.write(`        miss: ${miss}\n`);
    expect(hits / total, misses.join('\n')).to.be.at.least(MIN_HIT_AT_5);
  });
});
