/**
 * The gazetteer the search reads places from: communes (with their postcodes),
 * départements (names and numbers) and régions, from the INSEE geographic code
 * shipped by @etalab/decoupage-administratif, folded the way queries are
 * (accents, case, hyphens and apostrophes, « st »/« ste »). Built once, in
 * memory; every lookup is a map read. How the query parser uses it, and why
 * some names are left out: docs/search.md.
 */
import { foldKey } from '../core/text';
import { listAgencyTypes, listTopics } from '../reference/catalog';
import { MIN_COMMUNE_POPULATION, readCommunes } from '../reference/communes';
import { getDepartement, listDepartements, listRegions } from '../reference/territories';
import { FRENCH_STOP_WORDS } from './synonyms';

export type PlaceKind = 'commune' | 'postcode' | 'departement' | 'region';

export interface PlaceEntry {
  kind: PlaceKind;
  /** INSEE code of the commune, département or région; the postcode itself for a postcode. */
  code: string;
  name: string;
  departement?: string;
  region: string;
  population: number;
}

/** Communes at least this large are also recognised with one typo or a cut-off end (« marseil »). */
const MIN_FUZZY_POPULATION = 20_000;
/** Typed words never taken for a commune: everyday words that are also the name of a town. */
const NOT_PLACES = new Set([
  ...[
    'aide',
    'accueil',
    'angles',
    'arcs',
    'avion',
    'blanc',
    'bonne',
    'bourg',
    'bras',
    'bureau',
    'centre',
    'change',
    'cours',
    'croix',
    'force',
    'garde',
    'jardin',
  ],
  ...['maison', 'mer', 'mission', 'motte', 'orange', 'palais', 'plus', 'port', 'poste', 'riche', 'roche', 'rouge', 'rue', 'saint', 'sainte', 'salles', 'sens'],
  ...['trait', 'ville', 'vitale'],
  // First names of agents, also the names of small towns.
  ...['albert', 'leon', 'marin', 'mathieu', 'robert'],
]);
/** Short names members use for régions. */
const REGION_ALIASES: Record<string, string> = { idf: '11', paca: '93' };

/** Folds a name or a query the same way: foldKey, then « st »/« ste » spelled out. */
export function foldPlace(value: string): string {
  return foldKey(value)
    .split(' ')
    .map((w) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte' : w))
    .join(' ');
}

/** Words of the catalogue (types, topics, their acronyms and synonyms) and stop words: never a place on their own. */
function vocabulary(): Set<string> {
  const words = new Set<string>(FRENCH_STOP_WORDS.map(foldKey));
  const items = [...listAgencyTypes(), ...listTopics()];
  for (const item of items) {
    const texts = [item.label, ...item.acronyms, ...item.synonyms, ...('shortLabel' in item ? [item.shortLabel] : [])];
    for (const text of texts) for (const w of foldPlace(text).split(' ')) if (w) words.add(w);
  }
  return words;
}

export interface Gazetteer {
  /** Folded name (one or more words) → the places of that name. */
  byName: Map<string, PlaceEntry[]>;
  /** Five-digit postcode → the commune it mostly serves. */
  byPostcode: Map<string, PlaceEntry>;
  /** Single-word names of large communes, départements and régions, for typo matching. */
  fuzzy: Array<{ word: string; entry: PlaceEntry }>;
  /** Words of the catalogue: never read as a misspelt place. */
  vocabulary: Set<string>;
  /** The most words a place name has. */
  longest: number;
}

let gazetteer: Gazetteer | undefined;

function add(map: Map<string, PlaceEntry[]>, key: string, entry: PlaceEntry) {
  if (!key) return;
  const list = map.get(key) ?? [];
  if (!list.some((e) => e.kind === entry.kind && e.code === entry.code)) list.push(entry);
  map.set(key, list);
}

/** Without a leading article: « la roche sur yon » → « roche sur yon ». */
const withoutArticle = (name: string) => name.replace(/^(?:la|le|les|l) (?=\S{4,})/, '');

function build(): Gazetteer {
  const vocab = vocabulary();
  const byName = new Map<string, PlaceEntry[]>();
  const fuzzy: Gazetteer['fuzzy'] = [];
  const territoryNames = new Set<string>();

  for (const d of listDepartements()) {
    const entry: PlaceEntry = { kind: 'departement', code: d.code, name: d.name, departement: d.code, region: d.regionCode, population: 1e9 };
    const key = foldPlace(d.name);
    for (const k of [key, withoutArticle(key)]) {
      add(byName, k, entry);
      territoryNames.add(k);
    }
    if (!key.includes(' ')) fuzzy.push({ word: key, entry });
  }
  for (const r of listRegions()) {
    // An overseas région has the name of its only département: the département is the more useful scope.
    if (r.departementCodes.length === 1) continue;
    const entry: PlaceEntry = { kind: 'region', code: r.code, name: r.name, region: r.code, population: 1e9 };
    const key = foldPlace(r.name);
    add(byName, key, entry);
    territoryNames.add(key);
    if (!key.includes(' ')) fuzzy.push({ word: key, entry });
  }
  for (const [alias, code] of Object.entries(REGION_ALIASES)) {
    const r = listRegions().find((x) => x.code === code);
    if (r && r.departementCodes.length > 1) add(byName, alias, { kind: 'region', code, name: r.name, region: code, population: 1e9 });
  }

  const byPostcode = new Map<string, PlaceEntry>();
  // The derived list (src/reference/communes.ts), parsed for this build only.
  for (const [code, nom, departement, region, population, postcodes] of readCommunes()) {
    if (!getDepartement(departement)) continue;
    const entry: PlaceEntry = { kind: 'commune', code, name: nom, departement, region, population };
    for (const postcode of postcodes) {
      const known = byPostcode.get(postcode);
      if (!known || known.population < population) byPostcode.set(postcode, { ...entry, kind: 'postcode', code: postcode });
    }
    if (population < MIN_COMMUNE_POPULATION) continue;
    const key = foldPlace(nom);
    for (const k of new Set([key, withoutArticle(key)])) {
      // A département's or région's name means the territory; a catalogue word means what it says.
      if (k.length < 3 || territoryNames.has(k) || NOT_PLACES.has(k) || (!k.includes(' ') && vocab.has(k))) continue;
      add(byName, k, entry);
    }
    if (population >= MIN_FUZZY_POPULATION && !key.includes(' ') && !territoryNames.has(key) && !NOT_PLACES.has(key)) fuzzy.push({ word: key, entry });
  }
  let longest = 1;
  for (const key of byName.keys()) longest = Math.max(longest, key.split(' ').length);
  return { byName, byPostcode, fuzzy, vocabulary: vocab, longest: Math.min(longest, 8) };
}

/** The gazetteer, built on first use (about 100 ms, once per process). */
export function places(): Gazetteer {
  gazetteer ??= build();
  return gazetteer;
}
