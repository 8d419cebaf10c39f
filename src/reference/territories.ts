import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** ISO 3166 code of the numbering territory a phone number belongs to (docs/domain.md « Phone numbers »). */
export type PhoneRegion = 'FR' | 'GP' | 'MQ' | 'GF' | 'RE' | 'YT' | 'PM' | 'BL' | 'MF';

export type Region = {
  readonly code: string;
  readonly name: string;
  readonly overseas: boolean;
  readonly departementCodes: readonly string[];
};

export type Departement = {
  readonly code: string;
  readonly name: string;
  /** "de la Gironde", "du Nord", "de l'Ain": ready for "CAF de la Gironde". */
  readonly nameWithDe: string;
  readonly regionCode: string;
  readonly overseas: boolean;
  readonly phoneRegion: PhoneRegion;
};

/** Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin: accepted as optional territories (docs/domain.md « Territories »). */
export type OverseasCollectivity = Omit<Departement, 'regionCode'>;

type CogRecord = { code: string; nom: string; typeLiaison: number; zone: 'metro' | 'drom' | 'com'; region?: string };

// The package root reads its data relative to the process CWD (docs/domain.md « Territories »), so load the JSON files directly.
const cogRegions = require('@etalab/decoupage-administratif/data/regions.json') as CogRecord[];
const cogDepartements = require('@etalab/decoupage-administratif/data/departements.json') as CogRecord[];

const PHONE_REGIONS: Record<string, PhoneRegion> = {
  '971': 'GP', '972': 'MQ', '973': 'GF', '974': 'RE', '976': 'YT', '975': 'PM', '977': 'BL', '978': 'MF',
};
const KEPT_COLLECTIVITIES = new Set(['975', '977', '978']);

// INSEE "type de nom en clair" (TNCC) → preposition + article.
const DE_BY_TNCC = ['de ', "d'", 'du ', 'de la ', 'des ', "de l'"];

const frenchCollator = new Intl.Collator('fr', { sensitivity: 'base' });

function toTerritory(record: CogRecord) {
  return {
    code: record.code,
    name: record.nom,
    nameWithDe: (DE_BY_TNCC[record.typeLiaison] ?? 'de ') + record.nom,
    overseas: record.zone !== 'metro',
    phoneRegion: PHONE_REGIONS[record.code] ?? 'FR',
  };
}

// Plain string order is already the INSEE order: '19' < '21' < '29' < '2A' < '2B' < '30' < '95' < '971'.
const departements: readonly Departement[] = cogDepartements
  .filter((d) => d.zone !== 'com')
  .map((d) => Object.freeze({ ...toTerritory(d), regionCode: d.region as string }))
  .sort((a, b) => (a.code < b.code ? -1 : 1));

const regions: readonly Region[] = cogRegions
  .filter((r) => r.zone !== 'com')
  .map((r) => Object.freeze({
    code: r.code,
    name: r.nom,
    overseas: r.zone === 'drom',
    departementCodes: Object.freeze(departements.filter((d) => d.regionCode === r.code).map((d) => d.code)),
  }))
  .sort((a, b) => frenchCollator.compare(a.name, b.name));

const collectivities: readonly OverseasCollectivity[] = cogDepartements
  .filter((d) => KEPT_COLLECTIVITIES.has(d.code))
  .map((d) => Object.freeze(toTerritory(d)));

const departementsByCode = new Map(departements.map((d) => [d.code, d]));
const regionsByCode = new Map(regions.map((r) => [r.code, r]));

/** The 18 régions (13 metropolitan + 5 overseas), sorted by name in French collation. */
export function listRegions(): readonly Region[] {
  return regions;
}

/** The 101 départements sorted by INSEE code, or only those of one région. */
export function listDepartements(regionCode?: string): readonly Departement[] {
  return regionCode === undefined ? departements : departements.filter((d) => d.regionCode === regionCode);
}

/** Départements grouped by région (régions in French name order), for `<optgroup>` selects. */
export function groupDepartementsByRegion(): { region: Region; departements: readonly Departement[] }[] {
  return regions.map((region) => ({ region, departements: listDepartements(region.code) }));
}

/** The département with this INSEE code ('01', '2A', '974'…), or undefined. */
export function getDepartement(code: string): Departement | undefined {
  return departementsByCode.get(code);
}

/** The région with this INSEE code ('11', '84', '06'…), or undefined. */
export function getRegion(code: string): Region | undefined {
  return regionsByCode.get(code);
}

/** The région containing this département, or undefined for an unknown code. */
export function regionOfDepartement(departementCode: string): Region | undefined {
  const departement = departementsByCode.get(departementCode);
  return departement && regionsByCode.get(departement.regionCode);
}

/** True for one of the 101 département codes (strings: '01', never 1). */
export function isDepartementCode(value: unknown): value is string {
  return typeof value === 'string' && departementsByCode.has(value);
}

/** True for one of the 18 région codes. */
export function isRegionCode(value: unknown): value is string {
  return typeof value === 'string' && regionsByCode.has(value);
}

/** Saint-Pierre-et-Miquelon (975), Saint-Barthélemy (977), Saint-Martin (978); other COM are left out. */
export function listOverseasCollectivities(): readonly OverseasCollectivity[] {
  return collectivities;
}

/** The numbering territory of a département or kept collectivity; undefined for an unknown code. */
export function phoneRegionOfTerritory(code: string): PhoneRegion | undefined {
  return departementsByCode.get(code)?.phoneRegion ?? collectivities.find((c) => c.code === code)?.phoneRegion;
}
