/**
 * The communes the search's gazetteer needs (src/search/places.ts), derived
 * from the INSEE geographic code of @etalab/decoupage-administratif and kept
 * in seeds/data/communes.json: the current communes of the app's départements
 * that are large enough to be recognised by name, or that are the most
 * populous commune of one of their postcodes. Reading that file instead of
 * the package's 8.6 MB list keeps a transient 49 MB parse out of every start (13 MB now)
 * (docs/search.md, « Places »). `npm run data:communes` writes it again after
 * an upgrade of the package; test/reference/communes.test.ts fails until then.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../config';

/** Communes smaller than this are not recognised by name (their names collide with words more than they help). */
export const MIN_COMMUNE_POPULATION = 2000;

/** One commune: [INSEE code, name, département, région, population, postcodes]. */
export type CompactCommune = [code: string, name: string, departement: string, region: string, population: number, postcodes: string[]];

export type CogCommune = { code: string; nom: string; type: string; departement?: string; region?: string; population?: number; codesPostaux?: string[] };

export const COMMUNES_FILE = join(config.paths.root, 'seeds', 'data', 'communes.json');

/**
 * The communes of `raw` (the package's list, in its order) the gazetteer can use: kept in the same
 * order, so that building from either list gives the same places (postcode ties go to the first).
 */
export function deriveCommunes(raw: readonly CogCommune[], isDepartement: (code: string) => boolean): CompactCommune[] {
  const current = raw.filter((c) => c.type === 'commune-actuelle' && c.departement && c.region && isDepartement(c.departement));
  const winner = new Map<string, CogCommune>();
  for (const c of current) {
    for (const postcode of c.codesPostaux ?? []) {
      const known = winner.get(postcode);
      if (!known || (known.population ?? 0) < (c.population ?? 0)) winner.set(postcode, c);
    }
  }
  const winners = new Set(winner.values());
  return current
    .filter((c) => (c.population ?? 0) >= MIN_COMMUNE_POPULATION || winners.has(c))
    .map((c) => [c.code, c.nom, c.departement!, c.region!, c.population ?? 0, c.codesPostaux ?? []]);
}

/** The derived communes (read once per gazetteer build; not kept in memory by this module). */
export function readCommunes(): CompactCommune[] {
  return JSON.parse(readFileSync(COMMUNES_FILE, 'utf8')) as CompactCommune[];
}
