/** Input schemas of the contact forms, with the French messages members see. */
import { z } from 'zod';
import { normalizeLineBreaks } from '../core/text';
import { isAgencyTypeCode, isTopicCode } from '../reference/catalog';
import { isDepartementCode } from '../reference/territories';
import { AGENT_INFORMED, CONTACT_KINDS, PHONE_KINDS } from './contact.model';

const optionalText = (max: number, label: string) =>
  z
    .string({ error: `${label} : texte attendu.` })
    .max(max * 2, `${label} : ${max} caractères au plus.`)
    // A textarea sends CRLF: one kind of line break and no control character is what gets stored (docs/vcard.md).
    .transform((v) => normalizeLineBreaks(v.normalize('NFC')).replace(/[\u00A0\u202F]/g, ' ').trim())
    .pipe(z.string().max(max, `${label} : ${max} caractères au plus.`))
    .optional()
    .transform((v) => v || undefined);

/** A phone extension: digits only (it goes into `tel:` links and vCards as is). */
const phoneExtension = (label: string) =>
  optionalText(10, label).pipe(z.string().regex(/^\d{1,10}$/, 'Le poste ne contient que des chiffres (10 au plus), par exemple 1234.').optional());

const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'Choisissez un organisme dans la liste.');

/** A form checkbox group arrives as a string (one box) or an array (several). */
const topicList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean))
  .pipe(z.array(z.string().refine(isTopicCode, 'Thématique inconnue.')).max(12, 'Choisissez 12 thématiques au plus.'));

/** The fields a member can write on a contact (new contact and suggested change). */
export const contactFields = {
  kind: z.enum(CONTACT_KINDS, { error: 'Indiquez s’il s’agit d’une personne nommée ou d’une ligne de service.' }),
  agentFirstName: optionalText(60, 'Prénom'),
  agentLastName: optionalText(60, 'Nom ou initiale'),
  function: optionalText(120, 'Fonction'),
  service: optionalText(120, 'Service'),
  phone1: optionalText(40, 'Téléphone'),
  phone1Kind: z.enum(PHONE_KINDS, { error: 'Choisissez le type de ligne.' }).default('direct'),
  phone1Extension: phoneExtension('Poste'),
  phone2: optionalText(40, 'Second téléphone'),
  phone2Kind: z.enum(PHONE_KINDS, { error: 'Choisissez le type de ligne.' }).default('direct'),
  phone2Extension: phoneExtension('Poste'),
  email: optionalText(254, 'E-mail').pipe(
    z.email({ error: 'Indiquez une adresse e-mail valide, par exemple prenom.nom@caf.fr.' }).optional(),
  ),
  hours: optionalText(300, 'Horaires'),
  agentInformed: z.preprocess((v) => v || undefined, z.enum(AGENT_INFORMED, { error: 'Choisissez une des réponses proposées.' }).optional()),
  tips: optionalText(1000, 'Comment le joindre'),
  topics: topicList,
  account: optionalText(1000, 'Ce que ce contact a permis'),
};

export const AGENT_NOT_INFORMED_MESSAGE =
  'Dites comment la personne est informée de sa présence dans l’annuaire : elle vous a donné son accord, ou vous lui transmettez le texte d’information. Avec son e-mail professionnel, elle recevra ce texte elle-même.';

const refineContact = <T extends { kind: string; agentFirstName?: string; agentLastName?: string; phone1?: string; phone2?: string; email?: string }>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if (v.kind === 'agent' && !v.agentFirstName && !v.agentLastName) {
    ctx.addIssue({ code: 'custom', path: ['agentLastName'], message: 'Indiquez au moins le nom (ou l’initiale) ou le prénom de la personne.' });
  }
  if (!v.phone1 && !v.phone2 && !v.email) {
    ctx.addIssue({ code: 'custom', path: ['phone1'], message: 'Indiquez au moins un numéro de téléphone ou une adresse e-mail professionnelle.' });
  }
};

/**
 * The add form has no « existing / new » switch: the organisme comes from the list, or from the
 * « le créer » fields when the list is left on its first option. Clients that send `agencyMode`
 * (the tests, scripts) keep it; a form that holds both gets `both`, refused below with a message.
 */
function withAgencyMode(body: unknown): unknown {
  if (!body || typeof body !== 'object' || (body as { agencyMode?: unknown }).agencyMode !== undefined) return body;
  const b = body as Record<string, unknown>;
  const picked = typeof b.agencyId === 'string' && b.agencyId.trim() !== '';
  const named = typeof b.newAgencyName === 'string' && b.newAgencyName.trim() !== '';
  return { ...b, agencyMode: picked && named ? 'both' : named ? 'new' : 'existing' };
}

const ProposeContactFields = z
  .object({
    agencyMode: z.enum(['existing', 'new', 'both'], { error: 'Choisissez un organisme existant ou créez-le.' }).default('existing'),
    agencyId: z.string().optional().transform((v) => v || undefined),
    newAgencyName: optionalText(160, 'Nom de l’organisme'),
    newAgencyType: z.string().optional().transform((v) => v || undefined),
    newAgencyDepartement: z.string().optional().transform((v) => v || undefined),
    newAgencyCommune: optionalText(120, 'Commune'),
    newAgencyPostcode: optionalText(5, 'Code postal').pipe(z.string().regex(/^\d{5}$/, 'Le code postal compte 5 chiffres.').optional()),
    ...contactFields,
    confirmDifferent: z.literal('oui').optional(),
    duplicateReason: z.enum(['shared_line', 'other_person'], { error: 'Choisissez une des deux raisons.' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.agencyMode === 'both') {
      ctx.addIssue({
        code: 'custom',
        path: ['agencyId'],
        message: 'Vous avez choisi un organisme de la liste et saisi un nouvel organisme : gardez l’un des deux (remettez la liste sur « Choisir un organisme », ou videz le nom du nouvel organisme).',
      });
    }
    if (v.agencyMode === 'existing' && !objectId.safeParse(v.agencyId).success) {
      ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'Choisissez l’organisme dans la liste, ou créez-le s’il n’y est pas.' });
    }
    if (v.agencyMode === 'new') {
      if (!v.newAgencyName) ctx.addIssue({ code: 'custom', path: ['newAgencyName'], message: 'Indiquez le nom de l’organisme, par exemple « CAF de Loire-Atlantique ».' });
      if (!isAgencyTypeCode(v.newAgencyType)) ctx.addIssue({ code: 'custom', path: ['newAgencyType'], message: 'Choisissez le type d’organisme.' });
      if (!isDepartementCode(v.newAgencyDepartement)) ctx.addIssue({ code: 'custom', path: ['newAgencyDepartement'], message: 'Choisissez le département de l’organisme.' });
    }
    refineContact(v, ctx);
    // A new named card says how its agent learns of it (docs/agents.md); an edit keeps what the card holds.
    if (v.kind === 'agent' && !v.email && !v.agentInformed) {
      ctx.addIssue({ code: 'custom', path: ['agentInformed'], message: AGENT_NOT_INFORMED_MESSAGE });
    }
  });
export const ProposeContactSchema = z.preprocess(withAgencyMode, ProposeContactFields);
export type ProposeContactInput = z.infer<typeof ProposeContactFields>;

export const SuggestEditSchema = z
  .object({ ...contactFields, note: optionalText(500, 'Commentaire pour la modération') })
  .superRefine(refineContact);
export type SuggestEditInput = z.infer<typeof SuggestEditSchema>;

/** The listed agent's own correction (agents/agents.routes.ts): who they are and how to reach them. */
export const AgentCorrectionSchema = z
  .object({
    agentFirstName: contactFields.agentFirstName,
    agentLastName: contactFields.agentLastName,
    function: contactFields.function,
    service: contactFields.service,
    phone1: contactFields.phone1,
    phone1Kind: contactFields.phone1Kind,
    phone1Extension: contactFields.phone1Extension,
    phone2: contactFields.phone2,
    phone2Kind: contactFields.phone2Kind,
    phone2Extension: contactFields.phone2Extension,
    email: contactFields.email,
    hours: contactFields.hours,
    note: optionalText(500, 'Message pour la modération'),
  })
  .superRefine((v, ctx) => refineContact({ ...v, kind: 'agent' }, ctx));
export type AgentCorrectionInput = z.infer<typeof AgentCorrectionSchema>;

/** The no-JavaScript agency picker on the add form. */
export const PickerQuerySchema = z.object({
  departement: z.string().optional().refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
  type: z.string().optional().refine((v) => !v || isAgencyTypeCode(v), 'Type d’organisme inconnu.'),
  organisme: z.string().regex(/^[a-f0-9]{24}$/).optional(),
});
export type PickerQuery = z.infer<typeof PickerQuerySchema>;

/** The free-text fields of the contact forms that the screen reads (also while typing). */
export const SCREENED_FIELDS = ['agentFirstName', 'agentLastName', 'function', 'service', 'hours', 'tips', 'account', 'note', 'newAgencyName', 'newAgencyCommune'] as const;
export type ScreenedField = (typeof SCREENED_FIELDS)[number];

/** A field's text sent by the add and edit forms' script while typing (POST /contacts/verifier-texte). */
export const ScreenDraftSchema = z.object({
  field: z.enum(SCREENED_FIELDS, { error: 'Champ inconnu.' }),
  text: z.string().max(2000, 'Texte trop long.'),
});
export type ScreenDraftInput = z.infer<typeof ScreenDraftSchema>;
