import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type PhoneNumber,
  type PhoneNumberType,
} from 'libphonenumber-js/max';
import { getAgencyType } from '../reference/catalog';
import { getDepartement, phoneRegionOfTerritory, type PhoneRegion } from '../reference/territories';

export type PhoneType =
  | 'fixed'
  | 'mobile'
  | 'fixed_or_mobile'
  | 'voip'
  | 'toll_free'
  | 'standard_rate'
  | 'shared_cost'
  | 'premium'
  | 'short'
  | 'other';

export type ParsedPhone = {
  /** E.164 ('+33240123456'); for a short number, the bare code ('3230'), only reachable from France. */
  e164: string;
  /** French national format ('02 40 12 34 56', '0590 12 34 56', '0 800 12 34 56'); international for foreign numbers. */
  display: string;
  type: PhoneType;
  /** ISO 3166 code of the numbering territory ('FR', 'RE', 'GP', 'BE'…). */
  country: string;
  /** Digits typed after « poste », « p. », « ext. » or « # ». */
  extension?: string;
  /** True when the number lies in a block reserved for fiction (never assigned). */
  fictional: boolean;
  /** French notes for the member or the moderator; none of them blocks the save. */
  warnings: string[];
};

export type PhoneErrorCode = 'empty' | 'invalid_characters' | 'invalid_length' | 'invalid_number' | 'technical_range';
export type PhoneError = { code: PhoneErrorCode; message: string };
export type ParsePhoneResult = { ok: true; phone: ParsedPhone } | { ok: false; error: PhoneError };
export type ParsePhoneOptions = {
  /** INSEE code of the contact's département (or 975/977/978): picks the territory for overseas numbers. */
  departement?: string;
  /** Agency-type code of the card: sharpens the surcharged-number warning (loi ESSOC). */
  agencyType?: string;
};

const NOT_FRENCH = "Ce numéro n'est pas un numéro français valide";
const EXAMPLE = 'par exemple 01 99 00 12 34';
const MESSAGES = {
  empty: 'Saisissez un numéro de téléphone.',
  invalidCharacters: `${NOT_FRENCH} : il contient des lettres ou des caractères inattendus.`,
  invalidLength: (digits: number) =>
    `${NOT_FRENCH} : un numéro français compte 10 chiffres (vous en avez saisi ${digits}), ${EXAMPLE}.`,
  noPrefix: `${NOT_FRENCH} : il doit commencer par 0, ou par + suivi de l'indicatif du pays.`,
  unassigned: `${NOT_FRENCH} : il ne correspond à aucune tranche de numéros attribuée, vérifiez les chiffres.`,
  invalidForeign: "Ce numéro international n'est pas valide : vérifiez l'indicatif du pays et le nombre de chiffres.",
  technical:
    'Ce numéro ne peut pas servir de ligne de contact : les numéros en 083, 085, 086, 087 et 088 sont réservés à des usages techniques.',
  mobile: "Numéro de mobile : n'enregistrez qu'un mobile professionnel, jamais le mobile personnel d'un agent.",
  surcharged: "Numéro surtaxé : l'appel coûte plus cher qu'un appel normal ; indiquez plutôt un numéro non surtaxé s'il existe.",
  essoc:
    "Depuis 2021 (loi ESSOC, art. 28), les administrations et les caisses de sécurité sociale n'ont plus le droit d'utiliser un numéro surtaxé : ce numéro est probablement erroné.",
  foreign: (callingCode: string) =>
    `Numéro étranger (indicatif +${callingCode}) : inhabituel pour un service français, vérifiez-le.`,
  short: (label?: string) =>
    `Numéro court national${label ? ` (${label})` : ''} : joignable seulement depuis la France, ce n'est pas une ligne directe.`,
  shortCharged: "Numéro court hors des tranches gratuites : l'appel peut être facturé.",
  fiction:
    "Numéro fictif : cette tranche est réservée par l'ARCEP aux œuvres de fiction, il ne joint personne.",
};

/**
 * Blocks the national numbering plan reserves for audiovisual fiction: each prefix is followed by
 * 4 free digits (10 000 numbers). Source: ARCEP, plan national de numérotation (annexe 1 de la
 * décision n° 2018-0881 modifiée), § 2.5.12. There is no such block for overseas fixed lines.
 */
export const FICTION_RANGES = [
  { prefix: '019900', area: 'Île-de-France (01)' },
  { prefix: '026191', area: 'Nord-Ouest (02)' },
  { prefix: '035301', area: 'Nord-Est (03)' },
  { prefix: '046571', area: 'Sud-Est (04)' },
  { prefix: '053649', area: 'Sud-Ouest (05)' },
  { prefix: '063998', area: 'mobile (06)' },
] as const;

// Overseas numbers share the 10-digit national plan but have their own country codes (docs/domain.md « Phone numbers »).
const OVERSEAS_PREFIXES: Record<string, PhoneRegion> = {
  '262': 'RE', '263': 'RE', '692': 'RE', '693': 'RE',
  '269': 'YT', '639': 'YT',
  '590': 'GP', '690': 'GP', '691': 'GP',
  '594': 'GF', '694': 'GF',
  '596': 'MQ', '696': 'MQ', '697': 'MQ',
  '508': 'PM',
};
const FRENCH_PLAN = new Set<string>(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF']);
const GUADELOUPE_FAMILY = new Set<string>(['GP', 'BL', 'MF']);

const TYPES: Record<PhoneNumberType, PhoneType> = {
  FIXED_LINE: 'fixed',
  MOBILE: 'mobile',
  FIXED_LINE_OR_MOBILE: 'fixed_or_mobile',
  VOIP: 'voip',
  TOLL_FREE: 'toll_free',
  UAN: 'standard_rate',
  SHARED_COST: 'shared_cost',
  PREMIUM_RATE: 'premium',
  PERSONAL_NUMBER: 'other',
  PAGER: 'other',
  VOICEMAIL: 'other',
};

// ARCEP: 1X, 1XX, 116XXX and 3BPQ short numbers; 3000–3007, 3009–3169 and 3180–3199 are free.
const SHORT_NUMBER = /^(?:1\d{1,2}|116\d{3}|3\d{3})$/;
const FREE_3BPQ: [number, number][] = [[3000, 3007], [3009, 3169], [3180, 3199]];
// Free although outside those blocks (Violences Femmes Info is free and anonymous).
const FREE_SHORT_NUMBERS = new Set(['3919']);
const KNOWN_SHORT_NUMBERS: Record<string, string> = {
  '3230': 'CAF',
  '3646': 'Assurance maladie',
  '3960': 'Assurance retraite',
  '3949': 'France Travail',
  '3939': 'Allô Service Public',
  '3919': 'Violences Femmes Info',
  '115': "SIAO, hébergement d'urgence",
  '119': 'Enfance en danger',
};

const TECHNICAL_RANGE = /^\+338[35-8]/;
const EXTENSION = /\s*(?:poste|p\.|ext\.?|extension|#)\s*(\d{1,6})\s*$/i;

const fail = (code: PhoneErrorCode, message: string): ParsePhoneResult => ({ ok: false, error: { code, message } });

/** '+262639981234' → '0639981234' for numbers of the French plan; undefined otherwise. */
function toNationalDigits(e164: string): string | undefined {
  const match = /^\+(33|262|590|594|596|508)(\d+)$/.exec(e164);
  if (!match) return undefined;
  return match[1] === '508' ? `0508${match[2]}` : `0${match[2]}`;
}

/** True when the number lies in one of the {@link FICTION_RANGES}. */
export function isFictionalNumber(e164: string): boolean {
  const national = toNationalDigits(e164);
  return national !== undefined && FICTION_RANGES.some((r) => national.startsWith(r.prefix));
}

/** libphonenumber leaves `country` empty for unlisted ranges shared by two territories (+262 639 98…). */
function territoryOf(p: PhoneNumber): string {
  const national = toNationalDigits(p.number);
  return p.country ?? (national ? OVERSEAS_PREFIXES[national.slice(1, 4)] ?? 'FR' : 'ZZ');
}

function displayOf(p: PhoneNumber): string {
  const territory = territoryOf(p);
  if (territory === 'PM') return `0508 ${p.nationalNumber.replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  return FRENCH_PLAN.has(territory) ? p.formatNational() : p.formatInternational();
}

/** Short numbers are kept as bare codes; the rest is formatted from E.164 (French or international format). */
export function formatForDisplay(e164: string): string {
  const p = SHORT_NUMBER.test(e164) ? undefined : parsePhoneNumberFromString(e164);
  return p ? displayOf(p) : e164;
}

/** `tel:` URI for a stored number, with the RFC 3966 extension when there is one. */
export function toTelHref(e164: string, extension?: string): string {
  const ext = extension?.replace(/\D/g, '');
  return `tel:${e164.replace(/[^\d+]/g, '')}${ext ? `;ext=${ext}` : ''}`;
}

/** Turns the typed digits into an E.164 candidate, routing overseas prefixes to their own country code. */
function toE164(compact: string, hint: PhoneRegion | undefined): string | PhoneError {
  const international = compact.replace(/^00/, '+').replace(/^\+330/, '+33');
  if (international.startsWith('+')) {
    // "+33 262…" is a common slip for a Réunion number: E.164 wants +262 262….
    const region = international.startsWith('+33') ? OVERSEAS_PREFIXES[international.slice(3, 6)] : undefined;
    return region ? toE164(`0${international.slice(3)}`, hint) : international;
  }
  if (compact.startsWith('0')) {
    if (compact.length !== 10) return { code: 'invalid_length', message: MESSAGES.invalidLength(compact.length) };
    const nsn = compact.slice(1);
    const region = OVERSEAS_PREFIXES[nsn.slice(0, 3)];
    if (region === 'PM') return `+508${nsn.slice(3)}`;
    return `+${getCountryCallingCode(region ?? 'FR')}${nsn}`;
  }
  // Without a prefix, only a local overseas number (e.g. 6 digits in Saint-Pierre-et-Miquelon) makes sense.
  const local = hint && hint !== 'FR' ? parsePhoneNumberFromString(compact, hint) : undefined;
  return local?.isValid() ? local.number : { code: 'invalid_number', message: MESSAGES.noPrefix };
}

function warningsFor(type: PhoneType, p: PhoneNumber, fictional: boolean, agencyType?: string): string[] {
  const warnings: string[] = [];
  if (fictional) warnings.push(MESSAGES.fiction);
  if (type === 'mobile') warnings.push(MESSAGES.mobile);
  if (type === 'shared_cost' || type === 'premium') {
    warnings.push(MESSAGES.surcharged);
    if (agencyType && getAgencyType(agencyType)?.noSurchargedNumbers) warnings.push(MESSAGES.essoc);
  }
  if (!FRENCH_PLAN.has(territoryOf(p))) warnings.push(MESSAGES.foreign(p.countryCallingCode));
  return warnings;
}

function parseShortNumber(code: string): ParsedPhone {
  const warnings = [MESSAGES.short(KNOWN_SHORT_NUMBERS[code])];
  const free = FREE_SHORT_NUMBERS.has(code) || FREE_3BPQ.some(([from, to]) => Number(code) >= from && Number(code) <= to);
  if (code.length === 4 && !free) warnings.push(MESSAGES.shortCharged);
  return { e164: code, display: code, type: 'short', country: 'FR', fictional: false, warnings };
}

/**
 * Parses a number as a French social worker types it ("02 40 12 34 56", "+33 2…", "0590…", "3230")
 * and returns its E.164 form, French display, type and warnings, or a French error message.
 * The contact's département routes overseas numbers to their own country code (docs/domain.md « Phone numbers »).
 */
export function parsePhone(input: string, options: ParsePhoneOptions = {}): ParsePhoneResult {
  const trimmed = input.normalize('NFKC').replace(/[\u2010-\u2015\u2212]/g, '-').trim();
  if (!trimmed) return fail('empty', MESSAGES.empty);
  const extension = EXTENSION.exec(trimmed)?.[1];
  const number = trimmed.replace(EXTENSION, '').replace(/\(0\)/g, '');
  if (!/^\+?[\d\s.\-/()]+$/.test(number)) return fail('invalid_characters', MESSAGES.invalidCharacters);
  const compact = number.replace(/[^\d+]/g, '');
  if (SHORT_NUMBER.test(compact)) return { ok: true, phone: parseShortNumber(compact) };

  const hint = options.departement ? phoneRegionOfTerritory(options.departement) : undefined;
  const e164 = toE164(compact, hint);
  if (typeof e164 !== 'string') return { ok: false, error: e164 };
  if (TECHNICAL_RANGE.test(e164)) return fail('technical_range', MESSAGES.technical);

  const p = parsePhoneNumberFromString(e164);
  const fictional = isFictionalNumber(e164);
  // The fictional mobile block (06 39 98) is absent from libphonenumber's ranges, yet reserved by ARCEP.
  if (!p || !(p.isValid() || fictional)) {
    return fail('invalid_number', toNationalDigits(e164) ? MESSAGES.unassigned : MESSAGES.invalidForeign);
  }

  const numberType = p.getType();
  const type = numberType ? TYPES[numberType] : fictional ? 'mobile' : 'other';
  // +590 covers Guadeloupe, Saint-Barthélemy and Saint-Martin alike: the card's territory decides.
  const territory = territoryOf(p);
  const country = hint && GUADELOUPE_FAMILY.has(territory) && GUADELOUPE_FAMILY.has(hint) ? hint : territory;
  return {
    ok: true,
    phone: {
      e164: p.number,
      display: displayOf(p),
      type,
      country,
      ...(extension ? { extension } : {}),
      fictional,
      warnings: warningsFor(type, p, fictional, options.agencyType),
    },
  };
}

// Geographic zone of each région; Occitanie straddles two zones and its eastern départements dial 04.
const ZONE_BY_REGION: Record<string, string> = {
  '11': '01', '24': '02', '28': '02', '52': '02', '53': '02', '27': '03', '32': '03', '44': '03',
  '84': '04', '93': '04', '94': '04', '75': '05', '76': '05',
};
const OCCITANIE_ZONE_04 = new Set(['11', '30', '34', '48', '66']);

/**
 * A number from the fiction blocks for a département, deterministic in `index` (0–9999), so seeds
 * never show a real line. Metropolitan fixed numbers use the block of the département's zone;
 * mobiles and every overseas département use 06 39 98 (no overseas fixed block exists).
 * Throws on an unknown département or an index out of range.
 */
export function fictionalPhone(departementCode: string, index = 0, kind: 'fixed' | 'mobile' = 'fixed'): ParsedPhone {
  const departement = getDepartement(departementCode);
  if (!departement) throw new Error(`Unknown département code: ${departementCode}`);
  if (!Number.isInteger(index) || index < 0 || index > 9999) throw new Error(`Index out of range: ${index}`);
  const zone = kind === 'mobile' || departement.overseas
    ? '06'
    : OCCITANIE_ZONE_04.has(departement.code) ? '04' : ZONE_BY_REGION[departement.regionCode];
  const range = FICTION_RANGES.find((r) => zone && r.prefix.startsWith(zone));
  if (!range) throw new Error(`No fiction block for département ${departementCode}`);
  const national = `${range.prefix}${String(index).padStart(4, '0')}`;
  const result = parsePhone(national, { departement: departementCode });
  if (!result.ok) throw new Error(`Fiction number rejected: ${result.error.code}`);
  return result.phone;
}
