/** Input schemas of the agent's own page. */
import { z } from 'zod';

const optionalText = (max: number, label: string) =>
  z
    .string({ error: `${label} : texte attendu.` })
    .trim()
    .max(max, `${label} : ${max} caractères au plus.`)
    .optional()
    .transform((v) => v || undefined);

export const TokenParamsSchema = z.object({ token: z.string().max(100) });
export type TokenParams = z.infer<typeof TokenParamsSchema>;

export const HandOverSchema = z.object({
  successor: optionalText(200, 'Qui joindre à votre place'),
  note: optionalText(500, 'Message pour la modération'),
});
export type HandOverInput = z.infer<typeof HandOverSchema>;
