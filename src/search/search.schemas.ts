import { z } from 'zod';
import { isAgencyTypeCode, isTopicCode } from '../reference/catalog';
import { isDepartementCode, isRegionCode } from '../reference/territories';

const code = (check: (v: unknown) => boolean, message: string) =>
  z
    .string({ error: message })
    .max(10, message)
    .optional()
    .refine((v) => !v || check(v), message);

export const SORTS = ['pertinence', 'utilite', 'fraicheur'] as const;

/** GET /recherche. An absent `departement` means "the member's own"; an empty one means "all". */
export const SearchQuerySchema = z.object({
  q: z.string({ error: 'Recherche invalide.' }).max(200, 'Votre recherche compte 200 caractères au plus.').default(''),
  region: code(isRegionCode, 'Région inconnue.'),
  departement: code(isDepartementCode, 'Département inconnu.'),
  type: code(isAgencyTypeCode, 'Type d’organisme inconnu.'),
  thematique: z.string().max(30).optional().refine((v) => !v || isTopicCode(v), 'Thématique inconnue.'),
  tri: z.enum(SORTS, { error: 'Tri inconnu.' }).default('pertinence'),
  page: z.coerce.number({ error: 'Page invalide.' }).int('Page invalide.').min(1, 'Page invalide.').max(50, 'Affinez votre recherche : 50 pages au plus.').default(1),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;
