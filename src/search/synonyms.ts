/**
 * Synonyms for what members actually type: the acronyms and names of the
 * agency types and topics (seeds/data), plus the everyday shorthands below.
 * Meilisearch synonyms are one-way, so each group is declared both ways.
 */
import { foldKey } from '../core/text';
import { listAgencyTypes, listTopics } from '../reference/catalog';

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

/** The Meilisearch `synonyms` setting. */
export function buildSynonyms(): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const group of groups()) {
    for (const term of group) {
      out[term] ??= new Set();
      for (const other of group) if (other !== term) out[term].add(other);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

/** French stop words: articles, prepositions and conjunctions that carry no meaning in a query. */
export const FRENCH_STOP_WORDS = [
  'le', 'la', 'les', 'l', 'un', 'une', 'des', 'de', 'du', 'd', 'au', 'aux', 'a', 'à', 'et', 'ou', 'en', 'pour', 'par',
  'sur', 'dans', 'avec', 'chez', 'ce', 'cet', 'cette', 'ces', 'qui', 'que', 'quoi', 'son', 'sa', 'ses', 'leur', 'leurs',
];
