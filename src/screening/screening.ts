import { listAcronyms, listAgencyTypes, listTopics } from '../reference/catalog';
import { listDepartements, listRegions } from '../reference/territories';

/** Kinds that stop the save: high-confidence data about a person (docs/screening.md « The detectors »). */
export const BLOCKING_KINDS = [
  'email', 'iban', 'nir', 'nir_like', 'caf_number', 'phone', 'birth_date', 'beneficiary_name',
] as const;
/** Kinds sent to a moderator: heuristics that ordinary service text can trigger. */
export const FLAG_KINDS = ['date', 'civility_name', 'possible_identifier', 'uppercase_word'] as const;

export type FindingKind = (typeof BLOCKING_KINDS)[number] | (typeof FLAG_KINDS)[number];

/** One kind of sensitive data found in one field; never carries the matched text. */
export type Finding = {
  field: string;
  /** The field's French label (the field name when no label was given). */
  label: string;
  kind: FindingKind;
  count: number;
  /** « un numéro de téléphone personnel »: what was recognised, never the text. */
  recognised: string;
  /** « « Comment le joindre » : nous y avons reconnu … » — safe to display and to log. */
  message: string;
};
export type ScreeningResult = { blocked: Finding[]; flagged: Finding[] };
export type ScreenOptions = {
  /** French field labels for the messages ({ notes: 'Astuces' }); the field name otherwise. */
  fieldLabels?: Record<string, string>;
  /** Extra words the upper-case detector accepts, e.g. the words of the card's agency name. */
  allowWords?: string[];
  /** Reference date for "plausible birth year"; today by default. */
  now?: Date;
};

/** What was recognised, as a French noun phrase (« nous y avons reconnu … »); never the text itself. */
const RECOGNISED: Record<FindingKind, string> = {
  nir: 'un numéro de sécurité sociale (NIR)',
  nir_like: 'une suite de chiffres qui a la forme d’un numéro de sécurité sociale',
  iban: 'des coordonnées bancaires (IBAN)',
  email: 'une adresse e-mail personnelle',
  caf_number: 'un numéro d’allocataire ou de dossier',
  phone: 'un numéro de téléphone personnel',
  birth_date: 'une date de naissance',
  beneficiary_name: 'le nom d’une personne accompagnée (« dossier de Mme … »)',
  date: 'une date qui pourrait être une date de naissance',
  civility_name: 'un nom précédé de Mme, M. ou d’un lien familial (« la famille … », « son fils … »)',
  possible_identifier: 'un numéro qui pourrait identifier une personne (dossier, identifiant France Travail, numéro fiscal…)',
  uppercase_word: 'un mot en majuscules qui pourrait être un nom de famille',
};

/** How to rephrase, shown at the field: the card describes the service, never the situation. */
const REPHRASE =
  'Décrivez le service, pas la situation : par exemple « demander le pôle partenaires, préciser le code partenaire, rappeler après 14 h ».';

/** Help text for free-text inputs (docs/screening.md « Why it blocks what it blocks »). */
export const SECRECY_HINT =
  'Ne saisissez aucune information sur les personnes accompagnées (nom, numéro de dossier, NIR, date de naissance…). Secret professionnel – art. L. 411-3 CASF.';

const SECRECY_NOTICE =
  "Pour respecter le secret professionnel, aucune information sur les personnes accompagnées ne peut être enregistrée (art. L. 411-3 du code de l'action sociale et des familles).";

// --- Patterns ---------------------------------------------------------------------------------

const SEP = String.raw`[ .\-]?`;
const NIR = new RegExp(
  String.raw`(?<![\dA-Za-z])([1-478])${SEP}(\d{2})${SEP}(\d{2})${SEP}(\d{2}|2[AB])${SEP}(\d{3})${SEP}(\d{3})(?:${SEP}(\d{2}))?(?![\dA-Za-z])`,
  'gi',
);
const IBAN = /(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Z0-9])/gi;
// The look-behind keeps long runs of letters linear: a match can only start at the run's first character.
const EMAIL = /(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}/giu;
const CAF_NUMBER =
  /(?<!\bcode\s+(?:partenaires?\s+)?)\b(?:allocataire|matricule|dossier|caf|msa)\s*(?:n°|no\.?|num(?:éro)?\.?)?\s*:?\s*\d(?:[ .]?\d){5,7}(?![ .]?\d)/giu;
const FRENCH_PHONE =
  /(?<![\d+][ .\-]?)(?:(?:\+|00[ .\-]?)(?:33|262|269|508|590|594|596)[ .\-]?(?:\(0\)[ .\-]?)?|0)[1-9](?:[ .\-]?\d{2}){4}(?!\d)/g;
const FOREIGN_PHONE = /(?<![\d+][ .\-]?)(?:\+|00[ .\-]?)[1-9](?:[ .\-]?\d){7,14}(?!\d)/g;

const MONTHS = String.raw`(?:janv(?:ier|\.)?|f[ée]vr(?:ier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?)`;
// The same separator twice, so that "8.30-12.00" (office hours) is not a date.
const DATE = String.raw`(?:(?:0?[1-9]|[12]\d|3[01])(?<sep>[\/.\-])(?:0?[1-9]|1[0-2])\k<sep>(?:\d{4}|\d{2})|(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|(?:1er|[12]?\d|3[01])\s+${MONTHS}\s+(?:19|20)\d{2})(?!\d)`;
const YEAR = String.raw`(?<!\d)(?:19|20)\d{2}(?!\d)`;
const ANY_DATE = new RegExp(String.raw`(?<![\d\p{L}])${DATE}`, 'giu');
// "né(e) le", "née en", "DDN", "date de naissance", then a date or a year in the same clause.
// The unaccented "ne" is also the negation ("ne pas appeler avant 2025"), so it needs "le"/"en" right after.
const BIRTH_DATE = new RegExp(
  String.raw`(?<!\p{L})(?:(?<keyword>né(?:\(e\)|e)?s?|DDN|D\.D\.N\.?|date\s+de\s+naissance)(?!\p{L})[^.;!?\n\d]{0,30}?|nee?s?\s+(?:le|en)\s+)(?:${DATE}|(?<year>${YEAR}))`,
  'giu',
);

const CIVILITY = String.raw`(?:M\.|MM\.|M(?=\s)|Mr\.?|Mmes?\.?|Mlle\.?|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|(?:la\s+)?[Ff]amille|l['’][Ee]nfant|[Bb][ée]b[ée]|[Ff]ils|[Ff]ille|[Ll]a\s+petite|[Ll]e\s+petit|[Uu]sag(?:er|[èe]re)|[Bb][ée]n[ée]ficiaire|[Aa]llocataire|[Pp]atiente?|[Éé]poux|[Éé]pouse)`;
const NAME = String.raw`(\p{Lu}[\p{Ll}'’\-]+|\p{Lu}{2,}|\p{Lu}\.?)(?![\p{L}])`;
const CIVILITY_NAME = new RegExp(String.raw`(?<!\p{L})${CIVILITY}\s+${NAME}`, 'gu');
const BENEFICIARY_NAME = new RegExp(
  String.raw`(?<!\p{L})(?:[Dd]ossier|[Ss]ituation|[Dd]emande|[Cc]as)\s+(?:de|du|d['’])\s*${CIVILITY}\s+${NAME}`,
  'gu',
);
const IDENTIFIER = /(?<![\d\p{L}])(?:\d{7}\p{L}?|\d{10}|\d{13})(?![\d\p{L}])/gu;
// An acronym spelled out in parentheses (« … en difficulté (PAPD) ») is not a surname.
const UPPERCASE_WORD = /(?<![\p{L}(])\p{Lu}{3,}(?![\p{L})])/gu;

// A number right after these words is an office, a door code or a company id, not a person.
const BENIGN_NUMBER_CONTEXT =
  /(?<!\p{L})(?:code(?:\s+(?:partenaires?|d['’]accès|porte))?|poste|bureau|salle|porte|BP|CS|cedex|SIRE[NT]|FINESS)\s*[:°n.]*\s*$/iu;
// "loi du 11 février 2005" quotes a legal text, not a person.
const LEGAL_TEXT_CONTEXT = /(?:loi|décret|arrêté|circulaire|ordonnance|décision|délibération)(?:\s+n°\s*[\d\-]+)?\s+du\s*$/iu;
// Service dates (reforms, closures, updates) are recent; older full dates are likely birth dates.
const MIN_YEARS_AGO_FOR_BIRTH = 10;

// --- Allow-list for upper-case words -------------------------------------------------------------

/** Common French social-work acronyms not in the catalog (docs/screening.md « The detectors »). */
const REFERENCE_ACRONYMS = `NIR CASF RGPD CNIL CADA ANAS DEASS CESF ESSOC ARCEP RGAA AIPD DPO PRADA ESMS CIR CNI
  CHU CHRS HUDA PADA SPADA CMP CMPP EPSM CSAPA CAARUD SSIAD SAVS SAMSAH ESAT IME ITEP SESSAD SAMU SMUR FJT
  ASLL AVDL CLIC CESU DRIHL DRIEETS MDS MDSI EHPAD UDAF CDAPH ARS AGDREF SPI IBAN RIB OQTF APS CRA CNDA OFPRA
  SDF MAS FAM PAEJ PJJ ASE AEMO AED TISF AESH ULIS SEGPA CIO BTS CAP BAC CPF RSA CEJ PIAL QPV SIRET SIREN
  FINESS RNA NAF APE TVA REF DDCS`;

/** Upper-case words that are emphasis, not names ("NE PAS APPELER LE MATIN"). */
const COMMON_CAPS_WORDS = `PAS NON OUI SAUF TOUS TOUT TOUTE TOUTES POUR AVEC SANS LES DES UNE QUE QUI EST SONT MAIS
  DANS SUR AUX PAR ENTRE AVANT APRES LUNDI MARDI MERCREDI JEUDI VENDREDI SAMEDI DIMANCHE MATIN MIDI SOIR
  URGENT URGENTE URGENCE URGENCES IMPORTANT ATTENTION UNIQUEMENT SEULEMENT JAMAIS TOUJOURS FERME FERMEE
  OUVERT OUVERTE APPELER RAPPELER NUMERO LIGNE DIRECTE STANDARD SERVICE ACCUEIL BUREAU POSTE RDV TEL FAX
  MAIL COURRIEL SMS PDF URL WEB INFO INFOS NOUVEAU NOUVELLE NOTE ETAGE RAPPEL MERCI BIEN TRES PLUS MOINS`;

const normalizeWord = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
const wordsOf = (text: string) => text.match(/\p{L}{3,}/gu) ?? [];

const allowedWords: ReadonlySet<string> = new Set(
  [
    ...listAcronyms(),
    ...wordsOf(REFERENCE_ACRONYMS),
    ...wordsOf(COMMON_CAPS_WORDS),
    ...listAgencyTypes().flatMap((t) => wordsOf([t.shortLabel, t.label, ...t.synonyms].join(' '))),
    ...listTopics().flatMap((t) => wordsOf([t.label, ...t.synonyms].join(' '))),
    ...[...listDepartements(), ...listRegions()].flatMap((t) => wordsOf(t.name)),
  ].map(normalizeWord),
);

// --- Detectors ------------------------------------------------------------------------------------

type Hit = { start: number; end: number; kind: FindingKind };
type Context = { now: Date; isAllowed: (word: string) => boolean };
type Detector = (text: string, context: Context) => Hit[];

function hits(re: RegExp, text: string, kind: FindingKind | ((m: RegExpMatchArray) => FindingKind | null)): Hit[] {
  return [...text.matchAll(re)].flatMap((m) => {
    const k = typeof kind === 'function' ? kind(m) : kind;
    return k ? [{ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, kind: k }] : [];
  });
}

const before = (m: RegExpMatchArray) => (m.input ?? '').slice(Math.max(0, (m.index ?? 0) - 40), m.index);

function nirKeyIsValid(body: string, key: string): boolean {
  // Corsica: 2A and 2B count as 19 and 18 in the key computation.
  const digits = body.toUpperCase().replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  return 97 - Number(BigInt(digits) % 97n) === Number(key);
}

function ibanIsValid(compact: string): boolean {
  const rearranged = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(rearranged) % 97n === 1n;
}

function yearOf(date: string, now: Date): number | null {
  const year = date.match(/\d{4}(?!\d)/)?.[0] ?? date.match(/\d{2}$/)?.[0];
  if (!year) return null;
  if (year.length === 4) return Number(year);
  const century = Number(year) > now.getFullYear() % 100 ? 1900 : 2000;
  return century + Number(year);
}

const DETECTORS: Detector[] = [
  (text) => hits(EMAIL, text, 'email'),
  (text) =>
    hits(IBAN, text, (m) => {
      const compact = m[0].replace(/ /g, '').toUpperCase();
      if (compact.length < 15) return null;
      // A French IBAN with a typo is still an IBAN; elsewhere the checksum avoids random codes.
      return (compact.startsWith('FR') && compact.length === 27) || ibanIsValid(compact) ? 'iban' : null;
    }),
  (text) =>
    hits(NIR, text, (m) => {
      const month = Number(m[3]);
      // Months 20–42 and 50–99 exist for incomplete civil status; 00 and 13–19 never do.
      if (month === 0 || (month > 12 && month < 20)) return null;
      const key = m[7];
      return key && nirKeyIsValid(m.slice(1, 7).join(''), key) ? 'nir' : 'nir_like';
    }),
  (text) => hits(CAF_NUMBER, text, 'caf_number'),
  (text) =>
    [FRENCH_PHONE, FOREIGN_PHONE].flatMap((re) =>
      // 08 numbers are service lines (numéros spéciaux), not a person's phone.
      hits(re, text, (m) => (/^(?:0|(?:\+|00\D?)33\D*(?:\(0\)\D*)?)8/.test(m[0]) ? null : 'phone')),
    ),
  // "les jeunes nés en 2008" describes a cohort, not a person: only a moderator can tell.
  (text) => hits(BIRTH_DATE, text, (m) => (m.groups?.year && /s$/i.test(m.groups.keyword ?? '') ? 'date' : 'birth_date')),
  (text, { isAllowed }) => hits(BENEFICIARY_NAME, text, (m) => (isAllowed(m[1] ?? '') ? null : 'beneficiary_name')),
  (text, { now }) =>
    hits(ANY_DATE, text, (m) => {
      // "2.3.15" reads as a version number: with a two-digit year, the day needs two digits.
      if (/^\d\D/.test(m[0]) && /\D\d{2}$/.test(m[0])) return null;
      const year = yearOf(m[0], now);
      const plausible = year !== null && year >= now.getFullYear() - 110 && year <= now.getFullYear() - MIN_YEARS_AGO_FOR_BIRTH;
      return plausible && !LEGAL_TEXT_CONTEXT.test(before(m)) ? 'date' : null;
    }),
  (text, { isAllowed }) => hits(CIVILITY_NAME, text, (m) => (isAllowed(m[1] ?? '') ? null : 'civility_name')),
  (text) => hits(IDENTIFIER, text, (m) => (BENIGN_NUMBER_CONTEXT.test(before(m)) ? null : 'possible_identifier')),
  // "XXX" masks a value; it is not a name.
  (text, { isAllowed }) => hits(UPPERCASE_WORD, text, (m) => (isAllowed(m[0]) || /^X+$/.test(m[0]) ? null : 'uppercase_word')),
];

/** NFKC folds full-width digits and non-breaking spaces; invisible characters must not split a number. */
function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}

function screenField(text: string, context: Context): Map<FindingKind, number> {
  const taken: Hit[] = [];
  const counts = new Map<FindingKind, number>();
  // Detectors run from the most specific to the vaguest; a span already explained is not reported twice.
  for (const detect of DETECTORS) {
    for (const hit of detect(text, context)) {
      if (taken.some((t) => hit.start < t.end && t.start < hit.end)) continue;
      taken.push(hit);
      counts.set(hit.kind, (counts.get(hit.kind) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Screens free-text fields for data about the people helped (docs/screening.md).
 * `blocked` findings must stop the save; `flagged` ones go to moderation. Messages are French,
 * name the field and never repeat the detected value, so they are safe to display and to log.
 */
export function screenText(fields: Record<string, string | undefined>, options: ScreenOptions = {}): ScreeningResult {
  const extra = new Set((options.allowWords ?? []).flatMap(wordsOf).map(normalizeWord));
  const context: Context = {
    now: options.now ?? new Date(),
    isAllowed: (word) => allowedWords.has(normalizeWord(word)) || extra.has(normalizeWord(word)),
  };
  const result: ScreeningResult = { blocked: [], flagged: [] };
  for (const [field, value] of Object.entries(fields)) {
    if (!value) continue;
    const label = options.fieldLabels?.[field] ?? field;
    for (const [kind, count] of screenField(normalizeText(value), context)) {
      const recognised = RECOGNISED[kind];
      const finding = { field, label, kind, count, recognised, message: `« ${label} » : nous y avons reconnu ${recognised}.` };
      (isBlocking(kind) ? result.blocked : result.flagged).push(finding);
    }
  }
  return result;
}

/** What a detector recognises, as the messages say it (« un numéro de téléphone personnel »); never the text. */
export function recognisedOf(kind: string): string {
  return RECOGNISED[kind as FindingKind] ?? 'des données sur une personne';
}

/** True for the kinds that stop the save. */
export function isBlocking(kind: FindingKind): boolean {
  return (BLOCKING_KINDS as readonly string[]).includes(kind);
}

/** The error summary's paragraph above a form whose save was blocked: professional secrecy, once. */
export function buildSecrecySummary(blocked: readonly Finding[]): string {
  return blocked.length ? `${SECRECY_NOTICE} ${REPHRASE}` : SECRECY_NOTICE;
}

const joinFr = (items: string[]) => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Field → message for the form's inline errors: what was recognised in that field and how to
 * rephrase (« Nous y avons reconnu un numéro de téléphone personnel. Retirez-le. Décrivez … »).
 */
export function toFieldErrors(findings: readonly Finding[]): Record<string, string> {
  const byField = new Map<string, string[]>();
  for (const f of findings) byField.set(f.field, [...(byField.get(f.field) ?? []), f.recognised]);
  const errors: Record<string, string> = {};
  for (const [field, recognised] of byField) {
    errors[field] = `${capitalise(`nous y avons reconnu ${joinFr(recognised)}`)}. ${recognised.length > 1 ? 'Retirez-les' : 'Retirez-le'}. ${REPHRASE}`;
  }
  return errors;
}

/** The error summary's lines, one per field: its label and what was recognised (the links of the summary). */
export function toSummaryLines(findings: readonly Finding[]): Array<{ field: string; message: string }> {
  const byField = new Map<string, { label: string; recognised: string[] }>();
  for (const f of findings) {
    const entry = byField.get(f.field) ?? { label: f.label, recognised: [] };
    entry.recognised.push(f.recognised);
    byField.set(f.field, entry);
  }
  return [...byField].map(([field, e]) => ({ field, message: `« ${e.label} » : ${joinFr(e.recognised)}` }));
}

/**
 * The warning shown at a field while the member types (JavaScript on), before anything is sent:
 * what would stop the save, or what a moderator will check (a name after « Mme », a date…).
 */
export function draftWarning(findings: ScreeningResult): { blocking: boolean; message: string } | undefined {
  if (findings.blocked.length) return { blocking: true, message: Object.values(toFieldErrors(findings.blocked))[0]! };
  if (!findings.flagged.length) return undefined;
  const recognised = [...new Set(findings.flagged.map((f) => f.recognised))];
  return {
    blocking: false,
    message: `${capitalise(`nous y avons reconnu ${joinFr(recognised)}`)}. S’il s’agit d’une personne accompagnée, retirez-le : la fiche ne peut rien dire d’elle (secret professionnel). ${REPHRASE}`,
  };
}
