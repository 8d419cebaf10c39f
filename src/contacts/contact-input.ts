/**
 * Turns what a member typed into the stored shape of a contact: screens free
 * text for data about the people helped, normalises phone numbers, flags
 * webmail addresses. Throws French 422 errors keyed by form field.
 */
import { AppError, type FieldErrors } from '../core/errors';
import { foldKey } from '../core/text';
import { isWebmailAddress } from '../core/webmail';
import { buildSecrecySummary, draftWarning, screenText, toFieldErrors, toSummaryLines } from '../screening/screening';
import type { AgentInformed, PhoneKind } from './contact.model';
import type { ScreenedField, SuggestEditInput } from './contacts.schemas';
import { parsePhone } from './phone';

export const FIELD_LABELS: Record<string, string> = {
  agentFirstName: 'Prénom',
  agentLastName: 'Nom',
  function: 'Fonction',
  service: 'Service',
  hours: 'Horaires et disponibilités',
  tips: 'Comment le joindre',
  account: 'Ce que ce contact a permis',
  note: 'Commentaire pour la modération',
  successor: 'Qui joindre à votre place',
  text: 'Précisions du signalement',
  newAgencyName: 'Nom de l’organisme',
  newAgencyCommune: 'Commune de l’organisme',
};

export interface Flag {
  field: string;
  kind: string;
}

export interface ContactValues {
  kind: 'agent' | 'service_line';
  agentFirstName?: string;
  agentLastName?: string;
  agentKey?: string;
  function?: string;
  service?: string;
  phones: Array<{ e164: string; kind: PhoneKind; extension?: string; numberType: string }>;
  phoneKeys: string[];
  email?: string;
  hours?: string;
  tips?: string;
  topics: string[];
  account?: string;
  agentInformed?: AgentInformed;
}

export interface PreparedContact {
  values: ContactValues;
  flags: Flag[];
  warnings: string[];
}

/**
 * Screens the free-text fields. Blocked findings throw a 422 whose message
 * cites professional secrecy and names the fields, never the text found.
 */
export function screenOrThrow(fields: Record<string, string | undefined>, allowWords: string[]): Flag[] {
  const result = screenText(fields, { fieldLabels: FIELD_LABELS, allowWords });
  if (result.blocked.length) {
    throw new AppError(422, 'secrecy', buildSecrecySummary(result.blocked), toFieldErrors(result.blocked)).withDetails({
      errorSummary: toSummaryLines(result.blocked),
    });
  }
  return result.flagged.map((f) => ({ field: f.field, kind: f.kind }));
}

/**
 * Words of the card itself (the listed agent's name, function, service): a report or an account
 * that names the agent (« Mme Bernard est partie ») is about the line, not about a person helped.
 */
export function cardWords(c: { agentFirstName?: string | null; agentLastName?: string | null; function?: string | null; service?: string | null }): string[] {
  return [c.agentFirstName, c.agentLastName, c.function, c.service].filter((w): w is string => Boolean(w));
}

/** What the form shows at a field while the member types; nothing is stored or logged. */
export function screenDraft(field: ScreenedField, text: string) {
  return draftWarning(screenText({ [field]: text }, { fieldLabels: FIELD_LABELS }));
}

/** The fields of a new agency typed with the contact: screened like the contact's own text. */
export function newAgencyFields(input: { agencyMode?: string; newAgencyName?: string; newAgencyCommune?: string }): Record<string, string | undefined> {
  return input.agencyMode === 'new' ? { newAgencyName: input.newAgencyName, newAgencyCommune: input.newAgencyCommune } : {};
}

/**
 * Normalises the editable fields of a contact for an agency of `departement` and type `agencyType`.
 * `alsoScreen` holds other free text typed with it (a new agency's name and commune): screened in
 * the same pass, so one answer lists every problem, and never used as allowed words.
 */
export function prepareContact(
  input: Omit<SuggestEditInput, 'note'> & { note?: string },
  agency: { name: string; departement: string; typeCode: string; commune?: string | null },
  alsoScreen: Record<string, string | undefined> = {},
): PreparedContact {
  const isAgent = input.kind === 'agent';
  const flags = screenOrThrow(
    {
      ...alsoScreen,
      agentFirstName: isAgent ? input.agentFirstName : undefined,
      agentLastName: isAgent ? input.agentLastName : undefined,
      function: input.function,
      service: input.service,
      hours: input.hours,
      tips: input.tips,
      account: input.account,
      note: input.note,
    },
    [agency.name, agency.commune ?? ''],
  );

  const errors: FieldErrors = {};
  const warnings: string[] = [];
  const phones: ContactValues['phones'] = [];
  for (const n of [1, 2] as const) {
    const raw = input[`phone${n}`];
    if (!raw) continue;
    const parsed = parsePhone(raw, { departement: agency.departement, agencyType: agency.typeCode });
    if (!parsed.ok) {
      errors[`phone${n}`] = parsed.error.message;
      continue;
    }
    const extension = input[`phone${n}Extension`] ?? parsed.phone.extension;
    if (phones.some((p) => p.e164 === parsed.phone.e164 && p.extension === extension)) continue;
    phones.push({ e164: parsed.phone.e164, kind: input[`phone${n}Kind`], extension, numberType: parsed.phone.type });
    warnings.push(...parsed.phone.warnings);
    if (['shared_cost', 'premium'].includes(parsed.phone.type)) flags.push({ field: `phone${n}`, kind: 'surcharged' });
    if (parsed.phone.type === 'mobile') flags.push({ field: `phone${n}`, kind: 'mobile' });
  }
  if (input.email && isWebmailAddress(input.email)) {
    warnings.push(
      'Cette adresse ressemble à une messagerie personnelle : seule une adresse professionnelle peut figurer dans l’annuaire. La modération vérifiera.',
    );
    flags.push({ field: 'email', kind: 'webmail' });
  }
  if (Object.keys(errors).length) throw new AppError(422, 'bad_phone', 'Un numéro de téléphone est à corriger.', errors);

  return {
    values: {
      kind: input.kind,
      agentFirstName: isAgent ? input.agentFirstName : undefined,
      agentLastName: isAgent ? input.agentLastName : undefined,
      agentKey: isAgent ? foldKey(`${input.agentFirstName ?? ''} ${input.agentLastName ?? ''}`) || undefined : undefined,
      function: input.function,
      service: input.service,
      phones,
      phoneKeys: phones.map((p) => p.e164),
      email: input.email?.toLowerCase(),
      hours: input.hours,
      tips: input.tips,
      topics: [...new Set(input.topics)],
      account: input.account,
      // Only when given: an edit form without the question keeps the stored answer.
      ...(isAgent && input.agentInformed ? { agentInformed: input.agentInformed } : {}),
    },
    flags,
    warnings: [...new Set(warnings)],
  };
}

/** French names of the contact fields, for diffs and reasons. */
export const FIELD_NAMES: Record<string, string> = {
  kind: 'Type de fiche',
  agentFirstName: 'Prénom',
  agentLastName: 'Nom',
  function: 'Fonction',
  service: 'Service',
  phones: 'Téléphones',
  email: 'E-mail',
  hours: 'Horaires',
  tips: 'Comment le joindre',
  topics: 'Thématiques',
  account: 'Ce que ce contact a permis',
  agentInformed: 'Information de l’agent',
  agencyStatus: 'Nouvel organisme',
};

const FLAG_LABELS: Record<string, string> = {
  civility_name: 'nom de personne possible',
  uppercase_word: 'mot en majuscules (nom de famille ?)',
  date: 'date (de naissance ?)',
  possible_identifier: 'numéro d’identification possible',
  surcharged: 'numéro surtaxé',
  mobile: 'numéro de mobile (professionnel ?)',
  webmail: 'adresse de messagerie personnelle',
  declared_shared_line: 'numéro déjà sur une autre fiche : standard ou ligne partagée, selon l’auteur',
  declared_other_person: 'ressemble à une fiche existante : une autre personne, selon l’auteur',
};

/** French reasons for the moderation queue from the screening flags (field and detector, never the text). */
export function flagReasons(flags: Flag[]): string[] {
  return flags.map((f) => `à vérifier : ${FLAG_LABELS[f.kind] ?? f.kind} (${FIELD_NAMES[f.field] ?? FIELD_LABELS[f.field] ?? f.field})`);
}

/** Detectors of free text that may have caught data about a person (screening/screening.ts flags). */
const PERSONAL_DATA_KINDS = ['civility_name', 'uppercase_word', 'date', 'possible_identifier'];

/**
 * The mark a moderator sees next to each flagged field of a card or a diff, keyed by the
 * stored field (`phone1`/`phone2` → `phones`): what to check, never the text that was found.
 */
export function flagMarks(flags: Flag[]): Record<string, string> {
  const marks: Record<string, string> = {};
  for (const f of flags) {
    const field = /^phone\d$/.test(f.field) ? 'phones' : f.field;
    const mark = `à vérifier : ${PERSONAL_DATA_KINDS.includes(f.kind) ? 'données personnelles possibles' : (FLAG_LABELS[f.kind] ?? f.kind)}`;
    if (!marks[field]?.includes(mark)) marks[field] = marks[field] ? `${marks[field]} ; ${mark}` : mark;
  }
  return marks;
}

const DIFF_FIELDS = [
  'kind',
  'agentFirstName',
  'agentLastName',
  'function',
  'service',
  'phones',
  'email',
  'hours',
  'tips',
  'topics',
  'account',
  'agentInformed',
] as const;

/** Field-level differences between the stored values (a contact as stored, nulls included) and proposed ones. */
export function diffContact(
  before: { readonly [F in (typeof DIFF_FIELDS)[number]]?: unknown },
  after: ContactValues,
): Array<{ field: string; before: unknown; after: unknown }> {
  const norm = (v: unknown) => JSON.stringify(v ?? null, (_k, x) => (Array.isArray(x) && x.every((y) => typeof y === 'string') ? [...x].sort() : x));
  return DIFF_FIELDS.filter(
    (f) =>
      !(f === 'agentInformed' && after[f] === undefined) &&
      norm(before[f] ?? (f === 'phones' || f === 'topics' ? [] : undefined)) !== norm(after[f] ?? (f === 'phones' || f === 'topics' ? [] : undefined)),
  ).map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}
