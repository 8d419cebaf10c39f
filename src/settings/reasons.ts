/**
 * Canned reasons (admin-managed), stored in `settings`: refusal reasons (sent
 * to the person concerned) and approval reasons (how the moderator checked the
 * card, kept in the journal). Two lists, the same shape and validation.
 */
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

export const DEFAULT_APPROVAL_REASONS: Reason[] = [
  { code: 'phone_checked', label: 'Vérifié par appel au numéro.' },
  { code: 'colleague_confirmed', label: 'Confirmé par un collègue de la structure.' },
  { code: 'known_service_line', label: 'Ligne de service connue.' },
  { code: 'other', label: 'Autre (précisé dans le message).' },
];

/** Which list: refusal reasons (`reject`, the original one) or approval reasons (`approve`). */
export type ReasonKind = 'reject' | 'approve';

/** The settings key of each list (also the audit's target: admin.service settingTargetId). */
export const REASON_KEYS: Record<ReasonKind, string> = { reject: 'rejectReasons', approve: 'approvalReasons' };
const DEFAULTS: Record<ReasonKind, Reason[]> = { reject: DEFAULT_REASONS, approve: DEFAULT_APPROVAL_REASONS };

/** The reasons in force: the admin's list, or the defaults. */
export async function listReasons(kind: ReasonKind = 'reject'): Promise<Reason[]> {
  const doc = await Setting.findById(REASON_KEYS[kind]).lean();
  const parsed = z.array(ReasonSchema).safeParse(doc?.value);
  return parsed.success && parsed.data.length ? parsed.data : DEFAULTS[kind];
}

/** Replaces a list (admins only: the caller authorizes). */
export async function saveReasons(reasons: Reason[], by?: string, kind: ReasonKind = 'reject'): Promise<Reason[]> {
  const parsed = z.array(ReasonSchema).min(1).parse(reasons);
  await Setting.updateOne({ _id: REASON_KEYS[kind] }, { $set: { value: parsed, updatedBy: by } }, { upsert: true });
  return parsed;
}
