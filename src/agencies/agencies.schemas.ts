import { z } from 'zod';
import { isAgencyTypeCode } from '../reference/catalog';
import { isDepartementCode } from '../reference/territories';

export const BrowseQuerySchema = z.object({
  departement: z.string().optional().refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
  type: z.string().optional().refine((v) => !v || isAgencyTypeCode(v), 'Type d’organisme inconnu.'),
});

export const SuggestQuerySchema = z.object({
  q: z.string().max(100, 'Recherche trop longue.').default(''),
  departement: z.string().optional().refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
});

export const AgencyPageQuerySchema = z.object({
  page: z.coerce.number({ error: 'Page invalide.' }).int('Page invalide.').min(1, 'Page invalide.').max(20, 'Page invalide.').default(1),
});
