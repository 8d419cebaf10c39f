/**
 * Demo agencies: real public bodies (names, communes and postcodes are public facts) in 13
 * départements across 10 régions, metropolitan and overseas. Their switchboards are NOT the real
 * ones: every number comes from the blocks the numbering plan reserves for fiction (see
 * seeds/contacts.ts and FICTION_RANGES in src/contacts/phone.ts).
 */
import { Agency, type AgencyDoc } from '../src/agencies/agency.model';
import { fictionalPhone } from '../src/contacts/phone';
import { foldKey } from '../src/core/text';
import { getAgencyType } from '../src/reference/catalog';
import { getDepartement } from '../src/reference/territories';

export type AgencySpec = {
  departement: string;
  typeCode: string;
  name: string;
  commune: string;
  postcode: string;
};

const spec = (departement: string, typeCode: string, name: string, commune: string, postcode: string): AgencySpec => ({
  departement, typeCode, name, commune, postcode,
});

// Order matters only for the switchboard numbers (one per agency, allocated in this order).
export const DEMO_AGENCIES: readonly AgencySpec[] = [
  // Loire-Atlantique (52 Pays de la Loire): the demo member's département, the richest.
  spec('44', 'CAF', 'CAF de Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'CPAM', 'CPAM de Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'MDPH', 'MDPH de Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'FRANCE_TRAVAIL', 'France Travail Nantes Est', 'Nantes', '44300'),
  spec('44', 'FRANCE_TRAVAIL', 'France Travail Saint-Nazaire', 'Saint-Nazaire', '44600'),
  spec('44', 'PREFECTURE', 'Préfecture de la Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'CCAS', 'CCAS de Nantes', 'Nantes', '44000'),
  spec('44', 'CCAS', 'CCAS de Saint-Nazaire', 'Saint-Nazaire', '44600'),
  spec('44', 'BAILLEUR_SOCIAL', 'Nantes Métropole Habitat', 'Nantes', '44000'),
  spec('44', 'CD_SSD', 'Espace départemental des solidarités de Nantes Nord', 'Nantes', '44300'),
  spec('44', 'CD_INSERTION', 'Département de Loire-Atlantique – service insertion', 'Nantes', '44000'),
  spec('44', 'SIAO_115', 'SIAO de Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'DDETS', 'DDETS de la Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'MISSION_LOCALE', 'Mission locale Nantes Métropole', 'Nantes', '44000'),
  spec('44', 'CARSAT', 'CARSAT Pays de la Loire', 'Nantes', '44000'),
  spec('44', 'BANQUE_DE_FRANCE', 'Banque de France – succursale de Nantes', 'Nantes', '44000'),
  spec('44', 'HOPITAL', 'CHU de Nantes – service social et PASS', 'Nantes', '44000'),
  spec('44', 'ADIL', 'ADIL de Loire-Atlantique', 'Nantes', '44000'),
  spec('44', 'OFII', 'OFII – direction territoriale de Nantes', 'Nantes', '44000'),
  // Vendée (52)
  spec('85', 'MSA', 'MSA Loire-Atlantique – Vendée', 'La Roche-sur-Yon', '85000'),
  spec('85', 'CAF', 'CAF de la Vendée', 'La Roche-sur-Yon', '85000'),
  // Maine-et-Loire (52): its MDPH is called « Maison départementale de l'autonomie » (MDA).
  spec('49', 'CAF', 'CAF de Maine-et-Loire', 'Angers', '49000'),
  spec('49', 'CPAM', 'CPAM de Maine-et-Loire', 'Angers', '49000'),
  spec('49', 'MDPH', "MDA de Maine-et-Loire (Maison départementale de l'autonomie)", 'Angers', '49000'),
  spec('49', 'FRANCE_TRAVAIL', 'France Travail Angers Centre', 'Angers', '49100'),
  spec('49', 'CCAS', "CCAS d'Angers", 'Angers', '49100'),
  spec('49', 'BAILLEUR_SOCIAL', 'Angers Loire Habitat', 'Angers', '49100'),
  spec('49', 'PREFECTURE', 'Préfecture de Maine-et-Loire', 'Angers', '49000'),
  // Ille-et-Vilaine (53 Bretagne)
  spec('35', 'CAF', "CAF d'Ille-et-Vilaine", 'Rennes', '35000'),
  spec('35', 'CPAM', "CPAM d'Ille-et-Vilaine", 'Rennes', '35000'),
  spec('35', 'MDPH', "MDPH d'Ille-et-Vilaine", 'Rennes', '35000'),
  spec('35', 'CCAS', 'CCAS de Rennes', 'Rennes', '35000'),
  spec('35', 'BAILLEUR_SOCIAL', 'Archipel Habitat', 'Rennes', '35000'),
  spec('35', 'FRANCE_TRAVAIL', 'France Travail Rennes Sud', 'Rennes', '35200'),
  spec('35', 'MISSION_LOCALE', 'Mission locale du bassin rennais', 'Rennes', '35000'),
  // Gironde (75 Nouvelle-Aquitaine)
  spec('33', 'PREFECTURE', 'Préfecture de la Gironde', 'Bordeaux', '33000'),
  spec('33', 'CAF', 'CAF de la Gironde', 'Bordeaux', '33000'),
  spec('33', 'CPAM', 'CPAM de la Gironde', 'Bordeaux', '33000'),
  spec('33', 'MDPH', 'MDPH de la Gironde', 'Bordeaux', '33000'),
  spec('33', 'CCAS', 'CCAS de Bordeaux', 'Bordeaux', '33000'),
  spec('33', 'BAILLEUR_SOCIAL', 'Aquitanis', 'Bordeaux', '33000'),
  spec('33', 'FRANCE_TRAVAIL', 'France Travail Bordeaux Bastide', 'Bordeaux', '33100'),
  spec('33', 'SIAO_115', 'SIAO de la Gironde', 'Bordeaux', '33000'),
  // Rhône (84 Auvergne-Rhône-Alpes)
  spec('69', 'CAF', 'CAF du Rhône', 'Lyon', '69003'),
  spec('69', 'CPAM', 'CPAM du Rhône', 'Lyon', '69003'),
  spec('69', 'MDPH', 'MDMPH du Rhône et de la Métropole de Lyon', 'Lyon', '69003'),
  spec('69', 'PREFECTURE', 'Préfecture du Rhône', 'Lyon', '69003'),
  spec('69', 'FRANCE_TRAVAIL', 'France Travail Lyon Part-Dieu', 'Lyon', '69003'),
  spec('69', 'BAILLEUR_SOCIAL', 'Lyon Métropole Habitat', 'Lyon', '69003'),
  spec('69', 'CCAS', 'CCAS de Lyon', 'Lyon', '69001'),
  spec('69', 'CD_SSD', 'Maison de la Métropole pour les solidarités de Lyon 8e', 'Lyon', '69008'),
  spec('69', 'CARSAT', 'CARSAT Rhône-Alpes', 'Lyon', '69003'),
  // Paris (11 Île-de-France)
  spec('75', 'CAF', 'CAF de Paris', 'Paris', '75015'),
  spec('75', 'CPAM', 'CPAM de Paris', 'Paris', '75019'),
  spec('75', 'MDPH', 'MDPH de Paris', 'Paris', '75009'),
  spec('75', 'PREFECTURE', 'Préfecture de police de Paris', 'Paris', '75004'),
  spec('75', 'CCAS', "Centre d'action sociale de la Ville de Paris (CASVP)", 'Paris', '75012'),
  spec('75', 'BAILLEUR_SOCIAL', 'Paris Habitat', 'Paris', '75013'),
  spec('75', 'FRANCE_TRAVAIL', 'France Travail Paris 18e', 'Paris', '75018'),
  spec('75', 'SIAO_115', 'SIAO de Paris', 'Paris', '75010'),
  spec('75', 'CARSAT', 'Assurance retraite Île-de-France', 'Paris', '75019'),
  spec('75', 'POINT_JUSTICE', 'Point-justice Paris 18e', 'Paris', '75018'),
  spec('75', 'OFII', 'OFII – direction territoriale de Paris', 'Paris', '75011'),
  // Seine-Saint-Denis (11)
  spec('93', 'CAF', 'CAF de la Seine-Saint-Denis', 'Bobigny', '93000'),
  spec('93', 'CPAM', 'CPAM de la Seine-Saint-Denis', 'Bobigny', '93000'),
  spec('93', 'MDPH', 'MDPH de la Seine-Saint-Denis', 'Bobigny', '93000'),
  spec('93', 'PREFECTURE', 'Préfecture de la Seine-Saint-Denis', 'Bobigny', '93000'),
  spec('93', 'SIAO_115', 'Interlogement 93 (SIAO de la Seine-Saint-Denis)', 'Saint-Denis', '93200'),
  spec('93', 'CCAS', 'CCAS de Saint-Denis', 'Saint-Denis', '93200'),
  spec('93', 'BAILLEUR_SOCIAL', 'Seine-Saint-Denis Habitat', 'Bobigny', '93000'),
  spec('93', 'FRANCE_TRAVAIL', 'France Travail Montreuil', 'Montreuil', '93100'),
  spec('93', 'CD_SSD', 'Service social départemental – circonscription de Saint-Denis', 'Saint-Denis', '93200'),
  // Bouches-du-Rhône (93 Provence-Alpes-Côte d'Azur)
  spec('13', 'CAF', 'CAF des Bouches-du-Rhône', 'Marseille', '13003'),
  spec('13', 'CPAM', 'CPAM des Bouches-du-Rhône', 'Marseille', '13004'),
  spec('13', 'MDPH', 'MDPH des Bouches-du-Rhône', 'Marseille', '13006'),
  spec('13', 'PREFECTURE', 'Préfecture des Bouches-du-Rhône', 'Marseille', '13006'),
  spec('13', 'CCAS', 'CCAS de Marseille', 'Marseille', '13001'),
  spec('13', 'BAILLEUR_SOCIAL', '13 Habitat', 'Marseille', '13004'),
  spec('13', 'FRANCE_TRAVAIL', 'France Travail Marseille Belle-de-Mai', 'Marseille', '13003'),
  spec('13', 'CD_SSD', 'Maison départementale de la solidarité Marseille Belle-de-Mai', 'Marseille', '13003'),
  // Nord (32 Hauts-de-France): two of its four CPAM.
  spec('59', 'CAF', 'CAF du Nord', 'Lille', '59000'),
  spec('59', 'CPAM', 'CPAM de Lille-Douai', 'Lille', '59000'),
  spec('59', 'CPAM', 'CPAM de Roubaix-Tourcoing', 'Roubaix', '59100'),
  spec('59', 'MDPH', 'MDPH du Nord', 'Lille', '59000'),
  spec('59', 'FRANCE_TRAVAIL', 'France Travail Lille Euralille', 'Lille', '59000'),
  spec('59', 'CCAS', 'CCAS de Lille', 'Lille', '59000'),
  spec('59', 'BAILLEUR_SOCIAL', 'Lille Métropole Habitat', 'Lille', '59000'),
  spec('59', 'PREFECTURE', 'Préfecture du Nord', 'Lille', '59000'),
  spec('59', 'CD_SSD', 'UTPAS de Lille-Moulins', 'Lille', '59000'),
  // Haute-Garonne (76 Occitanie, western zone 05)
  spec('31', 'CAF', 'CAF de la Haute-Garonne', 'Toulouse', '31000'),
  spec('31', 'CPAM', 'CPAM de la Haute-Garonne', 'Toulouse', '31000'),
  spec('31', 'MDPH', 'MDPH de la Haute-Garonne', 'Toulouse', '31000'),
  spec('31', 'PREFECTURE', 'Préfecture de la Haute-Garonne', 'Toulouse', '31000'),
  spec('31', 'CCAS', 'CCAS de Toulouse', 'Toulouse', '31000'),
  spec('31', 'BAILLEUR_SOCIAL', 'Toulouse Métropole Habitat', 'Toulouse', '31000'),
  spec('31', 'FRANCE_TRAVAIL', 'France Travail Toulouse Minimes', 'Toulouse', '31200'),
  spec('31', 'SIAO_115', 'SIAO de la Haute-Garonne', 'Toulouse', '31000'),
  // Bas-Rhin (44 Grand Est)
  spec('67', 'CAF', 'CAF du Bas-Rhin', 'Strasbourg', '67000'),
  spec('67', 'CPAM', 'CPAM du Bas-Rhin', 'Strasbourg', '67000'),
  spec('67', 'MDPH', 'MDPH du Bas-Rhin', 'Strasbourg', '67000'),
  spec('67', 'CCAS', 'CCAS de Strasbourg', 'Strasbourg', '67000'),
  spec('67', 'BAILLEUR_SOCIAL', 'Ophéa', 'Strasbourg', '67000'),
  spec('67', 'FRANCE_TRAVAIL', 'France Travail Strasbourg Meinau', 'Strasbourg', '67100'),
  spec('67', 'PREFECTURE', 'Préfecture du Bas-Rhin', 'Strasbourg', '67000'),
  // La Réunion (04): overseas numbering (+262) and the CGSS instead of CPAM and CARSAT.
  spec('974', 'CAF', 'CAF de La Réunion', 'Saint-Denis', '97400'),
  spec('974', 'CGSS', 'CGSS de La Réunion', 'Saint-Denis', '97400'),
  spec('974', 'MDPH', 'MDPH de La Réunion', 'Saint-Denis', '97400'),
  spec('974', 'PREFECTURE', 'Préfecture de La Réunion', 'Saint-Denis', '97400'),
  spec('974', 'FRANCE_TRAVAIL', 'France Travail Saint-Pierre', 'Saint-Pierre', '97410'),
  spec('974', 'CCAS', 'CCAS de Saint-Denis', 'Saint-Denis', '97400'),
  spec('974', 'BAILLEUR_SOCIAL', 'SHLMR', 'Saint-Denis', '97400'),
];

// --- Fiction numbers -----------------------------------------------------------------------------

export type FictionNumber = { e164: string; numberType: string };

/**
 * Hands out numbers of the fiction blocks without repeats. Several départements share a block
 * (all of zone 02 uses 02 61 91 xx xx), so the counter is per block, not per département.
 * Each block has 10 000 numbers; `from`/`to` carve a slice so that demo agencies, demo contacts
 * and synthetic data never collide.
 */
export function createNumberPool(from: number, to: number) {
  const next = new Map<string, number>();
  const blocks = new Map<string, { prefix: string; numberType: string }>();
  function blockOf(departement: string, kind: 'fixed' | 'mobile') {
    const key = `${departement}:${kind}`;
    let block = blocks.get(key);
    if (!block) {
      const first = fictionalPhone(departement, 0, kind);
      block = { prefix: first.e164.slice(0, -4), numberType: first.type };
      blocks.set(key, block);
    }
    return block;
  }
  return {
    /** The block a département's numbers of this kind come from ('+33261910000' without its 4 free digits). */
    blockOf: (departement: string, kind: 'fixed' | 'mobile' = 'fixed') => blockOf(departement, kind).prefix,
    /** How many numbers are left in that block's slice. */
    remaining(departement: string, kind: 'fixed' | 'mobile' = 'fixed'): number {
      const { prefix } = blockOf(departement, kind);
      return to - (next.get(prefix) ?? from) + 1;
    },
    /** The next unused number of the block, or undefined when the slice is exhausted. */
    take(departement: string, kind: 'fixed' | 'mobile' = 'fixed'): FictionNumber | undefined {
      const { prefix, numberType } = blockOf(departement, kind);
      const index = next.get(prefix) ?? from;
      if (index > to) return undefined;
      next.set(prefix, index + 1);
      return { e164: `${prefix}${String(index).padStart(4, '0')}`, numberType };
    },
  };
}

/** Slices of each 10 000-number fiction block. */
export const NUMBER_SLICES = {
  demoAgencies: [0, 299],
  demoContacts: [300, 999],
  synthetic: [1000, 9999],
} as const;

/**
 * FerretDB 1.24 (SQLite) never answers an `update` command holding 100 or more statements that
 * match existing documents (measured here: 95 pass in 0.2 s, 100 hang with no CPU). Seeds re-run
 * on existing data, so their bulk updates go in chunks well below that.
 */
export const UPDATE_CHUNK = 50;

/** Runs `write` on successive slices of `items`, one after the other. */
export async function inChunks<T>(items: readonly T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}

/** The fields of an agency document built from a spec (level from the catalog, région from the département). */
export function agencyFields(s: AgencySpec, switchboard: string | undefined) {
  const type = getAgencyType(s.typeCode);
  const departement = getDepartement(s.departement);
  if (!type || !departement) throw new Error(`Agence de démonstration invalide : ${s.name}`);
  return {
    name: s.name,
    nameKey: foldKey(s.name),
    typeCode: s.typeCode,
    level: type.levels[0] ?? 'LOCAL',
    departement: s.departement,
    region: departement.regionCode,
    commune: s.commune,
    postcode: s.postcode,
    ...(switchboard ? { switchboard } : {}),
    status: 'active' as const,
    // A re-seed may change what the search indexes show: let the search sync push it again.
    searchDirty: true,
  };
}

const agencyContent = (a: { [K in 'name' | 'typeCode' | 'level' | 'region' | 'commune' | 'postcode' | 'switchboard' | 'status']?: string | null }) =>
  JSON.stringify([a.name, a.typeCode, a.level, a.region, a.commune, a.postcode, a.switchboard, a.status].map((v) => v ?? null));

/**
 * Creates the missing demo agencies and puts back those whose fields were changed, matched on
 * nameKey + département; a second run writes nothing. Returns the number of demo agencies.
 */
export async function seedDemoAgencies(): Promise<number> {
  const pool = createNumberPool(...NUMBER_SLICES.demoAgencies);
  const wanted = DEMO_AGENCIES.map((s) => agencyFields(s, pool.take(s.departement)?.e164));
  const existing = await Agency.find({ nameKey: { $in: [...new Set(wanted.map((a) => a.nameKey))] } }).lean<AgencyDoc[]>();
  const byKey = new Map(existing.map((a) => [`${a.nameKey}|${a.departement}`, a]));
  const missing = [];
  const resets = [];
  for (const fields of wanted) {
    const current = byKey.get(`${fields.nameKey}|${fields.departement}`);
    if (!current) missing.push(fields);
    else if (agencyContent(current) !== agencyContent(fields)) resets.push({ updateOne: { filter: { _id: current._id }, update: { $set: fields } } });
  }
  if (missing.length) await Agency.insertMany(missing, { ordered: true });
  await inChunks(resets, UPDATE_CHUNK, (chunk) => Agency.bulkWrite(chunk, { ordered: true }));
  return DEMO_AGENCIES.length;
}
