import { z } from 'zod';
import { CALL_OUTCOMES, CONFIRMATION_KINDS, REPORT_KINDS, USEFUL_TAGS } from './signal.models';

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} : ${max} caractères au plus.`)
    .optional()
    .transform((v) => v?.normalize('NFC').replace(/[\u00A0\u202F]/g, ' ').trim() || undefined);

export const RateSchema = z.object({
  useful: z.enum(['oui', 'non'], { error: 'Indiquez si ce contact vous a été utile.' }),
  tags: list.pipe(z.array(z.enum(Object.keys(USEFUL_TAGS) as [string, ...string[]], { error: 'Étiquette inconnue.' })).max(3)),
  account: text(1000, 'Ce que ce contact a permis'),
});
export type RateInput = z.infer<typeof RateSchema>;

export const ConfirmSchema = z.object({
  kind: z.enum(Object.keys(CONFIRMATION_KINDS) as [keyof typeof CONFIRMATION_KINDS], { error: 'Choisissez ce que vous avez constaté.' }),
});
export type ConfirmInput = z.infer<typeof ConfirmSchema>;

export const ReportSchema = z.object({
  kind: z.enum(Object.keys(REPORT_KINDS) as [keyof typeof REPORT_KINDS], { error: 'Choisissez le problème à signaler.' }),
  text: text(500, 'Précisions'),
});
export type ReportInput = z.infer<typeof ReportSchema>;

export const CallSchema = z.object({
  outcome: z.enum(Object.keys(CALL_OUTCOMES) as [keyof typeof CALL_OUTCOMES], { error: 'Choisissez ce que votre appel a donné.' }),
  /** Set by the result cards of a search: the member goes back to that search, not to the card. */
  depuis: z.enum(['recherche', 'fiche']).optional(),
});
export type CallInput = z.infer<typeof CallSchema>;
