/** Canned rejection reasons (admin-managed), stored in `settings`. */
import { z } from 'zod';
import { Setting } from './setting.model';

export const ReasonSchema = z.object({ code: z.string().regex(/^[a-z0-9_]{2,40}$/), label: z.string().trim().min(3).max(200) });
export type Reason = z.infer<typeof ReasonSchema>;

export const DEFAULT_REASONS: Reason[] = [
  { code: 'not_direct_line', label: 'Ce n’est pas une ligne utile aux professionnels (numéro grand public, site web…).' },
  { code: 'personal_number', label: 'Numéro ou adresse personnels de l’agent : seules les coordonnées professionnelles sont admises.' },
  { code: 'user_data', label: 'La fiche contenait des informations sur une personne accompagnée (secret professionnel).' },
  { code: 'duplicate', label: 'Cette ligne figure déjà dans l’annuaire.' },
  { code: 'unverifiable', label: 'Les informations n’ont pas pu être vérifiées.' },
  { code: 'out_of_scope', label: 'Hors du champ de l’annuaire.' },
  { code: 'other', label: 'Autre motif (précisé dans le message).' },
];

const KEY = 'rejectReasons';

export async function listReasons(): Promise<Reason[]> {
  const doc = await Setting.findById(KEY).lean();
  const parsed = z.array(ReasonSchema).safeParse(doc?.value);
  return parsed.success && parsed.data.length ? parsed.data : DEFAULT_REASONS;
}

/** Replaces the list (admins only: the caller authorizes). */
export async function saveReasons(reasons: Reason[], by?: string): Promise<Reason[]> {
  const parsed = z.array(ReasonSchema).min(1).parse(reasons);
  await Setting.updateOne({ _id: KEY }, { $set: { value: parsed, updatedBy: by } }, { upsert: true });
  return parsed;
}
