/**
 * Reads what a member typed before it goes to the engine: a phone number
 * (then the search is a number look-up), or a place — commune, postcode,
 * département by name or number, région — which becomes the zone and leaves
 * the text. Pure and in memory (the gazetteer is built once); a query costs a
 * few map reads. The rules and their reasons: docs/search.md.
 */
import { parsePhone } from '../contacts/phone';
import { getDepartement } from '../reference/territories';
import { foldPlace, type PlaceEntry, type PlaceKind, places } from './places';

export interface Place {
  kind: PlaceKind;
  code: string;
  name: string;
  departement?: string;
  region: string;
  /** What the member reads in the zone line: « Paris (75) », « Nantes (44) », « Bretagne ». */
  label: string;
}

export interface UnderstoodQuery {
  /** The words sent to the engine: the query less its place (a commune's or postcode's words move to the end, where they rank without excluding). */
  text: string;
  place?: Place;
  /** Set when the query is a phone number. */
  phone?: { e164: string; display: string };
}

export interface Home {
  departement?: string;
  region?: string;
}

type Candidate = { start: number; len: number; entries: PlaceEntry[]; corrected?: string };

const PHONE_RUN = /\+?\d[\d\s.\-/()]{7,}\d/;
const DEPARTEMENT_NUMBER = /^(?:\d{2}|2a|2b|97[1-6])$/;
const SPECIFICITY: Record<PlaceKind, number> = { commune: 3, postcode: 3, departement: 2, region: 1 };

/** The phone number a query is (short codes such as 115 or 3230 stay words: they are in the synonyms). */
function phoneIn(q: string): UnderstoodQuery['phone'] {
  const run = PHONE_RUN.exec(q)?.[0];
  if (!run || run.replace(/\D/g, '').length < 9) return undefined;
  const parsed = parsePhone(run);
  return parsed.ok && parsed.phone.type !== 'short' ? { e164: parsed.phone.e164, display: parsed.phone.display } : undefined;
}

/** True when `a` and `b` differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A large commune, département or région this word misspells or cuts short (« marseil », « strasbour »). */
function misspeltPlace(word: string, home: Home): { entry: PlaceEntry; word: string } | undefined {
  const g = places();
  if (word.length < 5 || /\d/.test(word) || g.vocabulary.has(word)) return undefined;
  let best: { entry: PlaceEntry; word: string } | undefined;
  for (const f of g.fuzzy) {
    if (f.word[0] !== word[0]) continue;
    const cut = f.word.startsWith(word) && f.word.length - word.length <= 3;
    if (!cut && !withinOneEdit(word, f.word)) continue;
    if (!best || rank(f.entry, [], home) > rank(best.entry, [], home)) best = f;
  }
  return best;
}

function numericPlace(word: string, allowDepartementNumbers: boolean): PlaceEntry | undefined {
  if (/^\d{5}$/.test(word)) return places().byPostcode.get(word);
  if (!allowDepartementNumbers || !DEPARTEMENT_NUMBER.test(word)) return undefined;
  const d = getDepartement(word.toUpperCase());
  return d && { kind: 'departement', code: d.code, name: d.name, departement: d.code, region: d.regionCode, population: 1e9 };
}

const compatible = (a: PlaceEntry, b: PlaceEntry) => (a.departement && b.departement ? a.departement === b.departement : a.region === b.region);

/** Orders same-name places: agreeing with the rest of the query, then the member's département, région, size. */
function rank(e: PlaceEntry, context: PlaceEntry[], home: Home): number {
  return (
    (context.some((c) => compatible(e, c)) ? 8e12 : 0) +
    (e.departement && e.departement === home.departement ? 4e12 : 0) +
    (e.region === home.region ? 2e12 : 0) +
    Math.min(e.population, 1e12)
  );
}

function pick(entries: PlaceEntry[], context: PlaceEntry[], home: Home): PlaceEntry {
  return entries.reduce((best, e) => (rank(e, context, home) > rank(best, context, home) ? e : best));
}

function candidatesOf(words: string[], home: Home): Candidate[] {
  const g = places();
  const allowNumbers = words.filter((w) => /^\d+$/.test(w)).length < 3;
  const found: Candidate[] = [];
  for (let i = 0; i < words.length;) {
    let candidate: Candidate | undefined;
    for (let len = Math.min(g.longest, words.length - i); len >= 1 && !candidate; len--) {
      const entries = g.byName.get(words.slice(i, i + len).join(' '));
      if (entries) candidate = { start: i, len, entries };
    }
    if (!candidate) {
      const numeric = numericPlace(words[i], allowNumbers);
      const misspelt = numeric ? undefined : misspeltPlace(words[i], home);
      if (numeric) candidate = { start: i, len: 1, entries: [numeric] };
      else if (misspelt) candidate = { start: i, len: 1, entries: [misspelt.entry], corrected: misspelt.word };
    }
    if (candidate) found.push(candidate);
    i += candidate?.len ?? 1;
  }
  return found;
}

function labelOf(e: PlaceEntry): string {
  if (e.kind === 'region') return e.name;
  if (e.kind === 'postcode') return `${e.name} (${e.code})`;
  return `${e.name} (${e.departement})`;
}

/**
 * What a query asks for. The first place named decides; later places that
 * agree with it (« saint denis 93 ») are read too and the most precise one is
 * kept, later places that disagree stay words (« nantes nord »).
 */
export function understandQuery(q: string, home: Home = {}): UnderstoodQuery {
  const trimmed = q.trim();
  const phone = phoneIn(trimmed);
  if (phone) return { text: trimmed, phone };
  const words = foldPlace(trimmed).split(' ').filter(Boolean);
  const candidates = candidatesOf(words, home);
  if (!candidates.length) return { text: trimmed };

  let chosen: { entry: PlaceEntry; candidate: Candidate } | undefined;
  const used = new Set<Candidate>();
  for (const candidate of candidates) {
    if (!chosen) {
      const others = candidates.filter((c) => c !== candidate).flatMap((c) => c.entries);
      chosen = { entry: pick(candidate.entries, others, home), candidate };
      used.add(candidate);
      continue;
    }
    const fits = candidate.entries.filter((e) => compatible(e, chosen!.entry));
    if (!fits.length) continue;
    used.add(candidate);
    const best = pick(fits, [chosen.entry], home);
    if (SPECIFICITY[best.kind] > SPECIFICITY[chosen.entry.kind]) chosen = { entry: best, candidate };
  }
  const { entry, candidate } = chosen!;
  const consumed = new Set([...used].flatMap((c) => Array.from({ length: c.len }, (_, k) => c.start + k)));
  const rest = words.filter((_, i) => !consumed.has(i));
  // A commune or a postcode is finer than the zone (a département): its words stay, last, to rank its own offices first.
  const keep =
    entry.kind === 'commune'
      ? (candidate.corrected ?? words.slice(candidate.start, candidate.start + candidate.len).join(' '))
      : entry.kind === 'postcode'
        ? entry.code
        : '';
  return {
    text: [...rest, keep].filter(Boolean).join(' '),
    place: { kind: entry.kind, code: entry.code, name: entry.name, departement: entry.departement, region: entry.region, label: labelOf(entry) },
  };
}
