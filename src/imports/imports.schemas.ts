/** Input schemas of the import pages. */
import { z } from 'zod';
import { MAX_COLUMNS } from './spreadsheet';

export const DraftParamsSchema = z.object({ id: z.string().regex(/^[\w-]{16,40}$/, 'Import introuvable.') });
export type DraftParams = z.infer<typeof DraftParamsSchema>;

/** The preview's settings form: one select per column (`col0`…), the département, one choice per unknown organisme (`org0` with its key in `orgKey0`). */
export const ImportSettingsSchema = z.record(z.string().max(40), z.union([z.string().max(500), z.array(z.string().max(500)).max(2)])).transform((body) => {
  const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
  const mapping = Array.from({ length: MAX_COLUMNS }, (_, i) => one(body[`col${i}`]));
  const choices: Record<string, string> = {};
  for (let i = 0; i < 100; i++) {
    const key = body[`orgKey${i}`];
    if (key === undefined) continue;
    choices[one(key)] = one(body[`org${i}`]);
  }
  const informed = one(body.agentInformed);
  return { mapping, departement: one(body.departement), choices, agentInformed: informed === 'consent' || informed === 'will_inform' ? (informed as 'consent' | 'will_inform') : undefined };
});
export type ImportSettingsInput = z.infer<typeof ImportSettingsSchema>;

export const ConfirmImportSchema = z.object({
  version: z.coerce.number({ error: 'Rechargez la page.' }).int().min(1),
});
export type ConfirmImportInput = z.infer<typeof ConfirmImportSchema>;
