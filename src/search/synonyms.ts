/**
 * Synonyms for what members actually type: the acronyms and names of the
 * agency types and topics (seeds/data), plus the everyday shorthands below.
 * Meilisearch synonyms are one-way, so each group is declared both ways.
 */
import { foldKey } from '../core/text';
import { listAcronyms, listAgencyTypes, listTopics } from '../reference/catalog';

const EVERYDAY: string[][] = [
  ['caf', 'caisse d allocations familiales', 'caisse d allocation familiale'],
  ['france travail', 'pole emploi', 'ft', 'anpe'],
  ['cpam', 'assurance maladie', 'secu', 'securite sociale', 'ameli'],
  ['mdph', 'mda', 'maison departementale des personnes handicapees', 'maison departementale de l autonomie'],
  ['cd', 'conseil departemental', 'departement', 'cg', 'conseil general'],
  ['pref', 'prefecture', 'sous prefecture'],
  ['ase', 'aide sociale a l enfance'],
  ['pmi', 'protection maternelle et infantile'],
  ['siao', '115', 'hebergement d urgence'],
  ['ccas', 'centre communal d action sociale'],
  ['rsa', 'revenu de solidarite active'],
  ['apl', 'aide personnalisee au logement', 'aide au logement'],
  ['aah', 'allocation aux adultes handicapes'],
];

/** Acronyms that mean several things: never declared as synonyms. */
const AMBIGUOUS = new Set(['ars', 'sip', 'gip', 'sem', 'esh', 'cmu']);

function groups(): string[][] {
  const fromCatalog = [...listAgencyTypes(), ...listTopics()].map((item) => [
    ...item.acronyms,
    ...item.synonyms,
    ...('shortLabel' in item ? [item.shortLabel] : []),
  ]);
  return [...EVERYDAY, ...fromCatalog]
    .map((g) => [...new Set(g.map(foldKey).filter((t) => t && !AMBIGUOUS.has(t)))])
    .filter((g) => g.length > 1);
}

/** Short words a slip must never become: they mean something of their own. */
const WORDS = new Set([
  ...['pas', 'cas', 'par', 'sur', 'est', 'ont', 'son', 'une', 'mes', 'ses', 'nos', 'vos', 'bas', 'dos', 'mal', 'mai', 'ras', 'ici', 'oui', 'non', 'tel'],
  ...['ans', 'ant', 'ane', 'ail', 'agir', 'cri', 'crus', 'cous', 'mas', 'nef', 'cdd', 'cin', 'mad', 'def', 'rip', 'stem'],
]);

/** The agency types' acronyms (OFII, CAF, CPAM, MDPH, SIAO, CCAS, ADIL, PASS…), folded. */
export function catalogueAcronyms(): string[] {
  const all = listAgencyTypes().flatMap((t) => [...t.acronyms, ...(/^[A-Z0-9]{2,6}$/.test(t.shortLabel) ? [t.shortLabel] : [])]);
  return [...new Set(all.map(foldKey).filter((a) => /^[a-z]{3,6}$/.test(a) && !AMBIGUOUS.has(a)))];
}

/** One letter missing, or two neighbours swapped: « ofi », « cpma », « dmph ». */
export function slipsOf(acronym: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < acronym.length; i++) out.add(acronym.slice(0, i) + acronym.slice(i + 1));
  for (let i = 0; i + 1 < acronym.length; i++) out.add(acronym.slice(0, i) + acronym[i + 1] + acronym[i] + acronym.slice(i + 2));
  out.delete(acronym);
  return [...out].filter((v) => v.length >= 3);
}

/**
 * Slips of the acronyms, each pointing to its acronym. Meilisearch allows no
 * typo in a word under 4 letters and counts one on the first letter as two, so
 * « ofi » or « dmph » would find nothing; declaring the few hundred slips is
 * cheaper and narrower than lowering the typo threshold, which would make every
 * 3-letter word match everything. A slip that is itself a word, a known term
 * or the slip of two acronyms is left out (docs/search.md).
 */
export function buildAcronymSlips(known: Set<string>): Record<string, string[]> {
  const targets = new Map<string, Set<string>>();
  for (const acronym of catalogueAcronyms()) {
    for (const slip of slipsOf(acronym)) {
      const set = targets.get(slip) ?? new Set();
      set.add(acronym);
      targets.set(slip, set);
    }
  }
  const stop = new Set(FRENCH_STOP_WORDS.map(foldKey));
  return Object.fromEntries(
    [...targets.entries()].filter(([slip, set]) => set.size === 1 && !known.has(slip) && !stop.has(slip) && !WORDS.has(slip)).map(([slip, set]) => [slip, [...set]]),
  );
}

/** The Meilisearch `synonyms` setting: the groups both ways, then the acronyms' slips one way. */
export function buildSynonyms(): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const group of groups()) {
    for (const term of group) {
      out[term] ??= new Set();
      for (const other of group) if (other !== term) out[term].add(other);
    }
  }
  const known = new Set([...Object.keys(out), ...Object.values(out).flatMap((v) => [...v]), ...listAcronyms().map(foldKey)]);
  return { ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]])), ...buildAcronymSlips(known) };
}

/** French stop words: articles, prepositions and conjunctions that carry no meaning in a query. */
export const FRENCH_STOP_WORDS = [
  'le', 'la', 'les', 'l', 'un', 'une', 'des', 'de', 'du', 'd', 'au', 'aux', 'a', 'à', 'et', 'ou', 'en', 'pour', 'par',
  'sur', 'dans', 'avec', 'chez', 'ce', 'cet', 'cette', 'ces', 'qui', 'que', 'quoi', 'son', 'sa', 'ses', 'leur', 'leurs',
];
