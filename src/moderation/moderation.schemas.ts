import { z } from 'zod';
import { contactFields } from '../contacts/contacts.schemas';
import { emailField } from '../members/members.schemas';
import { isDepartementCode, isRegionCode } from '../reference/territories';
import { ACTIONS } from './moderation.service';
import { ITEM_TYPES } from '../inbox/queue';

const optional = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} : ${max} caractères au plus.`)
    .optional()
    .transform((v) => v?.trim() || undefined);

export const QueueQuerySchema = z.object({
  type: z.preprocess((v) => v || undefined, z.enum(Object.keys(ITEM_TYPES) as [string, ...string[]], { error: 'Type inconnu.' }).optional()),
  region: z
    .string()
    .optional()
    .refine((v) => !v || isRegionCode(v), 'Région inconnue.'),
  departement: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
  retard: z.literal('1').optional(),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

/** Approving from the list: the version of the item the list showed. */
export const QuickApproveSchema = z.object({ version: z.coerce.number({ error: 'Rechargez la page.' }).int().min(1) });
export type QuickApproveInput = z.infer<typeof QuickApproveSchema>;

export const DecisionSchema = z.object({
  action: z.enum(Object.keys(ACTIONS) as [keyof typeof ACTIONS], { error: 'Choisissez une décision.' }),
  version: z.coerce.number({ error: 'Rechargez la page.' }).int().min(1),
  reasonCode: optional(40, 'Motif'),
  approvalReasonCode: optional(40, 'Motif d’approbation'),
  message: optional(2000, 'Message'),
  into: optional(200, 'Fiche à conserver'),
});
export type DecisionInput = z.infer<typeof DecisionSchema>;

/** "Approve after editing": the contact fields, prefixed in the form. */
export const EditedDecisionSchema = z.object({ ...contactFields }).partial({ kind: true });
export type EditedDecisionInput = z.infer<typeof EditedDecisionSchema>;

/** The item page's forms: a decision, with the card's fields when it is « approve after editing ». */
export const DecisionFormSchema = DecisionSchema.and(EditedDecisionSchema.partial());
export type DecisionFormInput = z.infer<typeof DecisionFormSchema>;

export const NoteSchema = z.object({
  text: z.string({ error: 'Écrivez la note.' }).trim().min(1, 'Écrivez la note.').max(2000, 'La note compte 2 000 caractères au plus.'),
});
export type NoteInput = z.infer<typeof NoteSchema>;

export const ArchiveSchema = z.object({ reasonCode: optional(40, 'Motif') });
export type ArchiveInput = z.infer<typeof ArchiveSchema>;

export const ObjectionSchema = z.object({
  email: emailField,
  reference: optional(300, 'Lien de la fiche'),
});
export type ObjectionInput = z.infer<typeof ObjectionSchema>;

/** An import batch's id (the import's draft id, imports/imports.service.ts). */
export const BatchParamsSchema = z.object({ id: z.string().regex(/^[\w-]{16,40}$/, 'Lot introuvable.') });
export type BatchParams = z.infer<typeof BatchParamsSchema>;
