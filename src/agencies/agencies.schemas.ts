import { z } from 'zod';
import { isAgencyTypeCode } from '../reference/catalog';
import { isDepartementCode } from '../reference/territories';

export const BrowseQuerySchema = z.object({
  departement: z
    .string()
    .optional()
    .refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
  type: z
    .string()
    .optional()
    .refine((v) => !v || isAgencyTypeCode(v), 'Type d’organisme inconnu.'),
});
export type BrowseQuery = z.infer<typeof BrowseQuerySchema>;

export const SuggestQuerySchema = z.object({
  q: z.string().max(100, 'Recherche trop longue.').default(''),
  departement: z
    .string()
    .optional()
    .refine((v) => !v || isDepartementCode(v), 'Département inconnu.'),
});
export type SuggestQuery = z.infer<typeof SuggestQuerySchema>;

export const AgencyPageQuerySchema = z.object({
  page: z.coerce.number({ error: 'Page invalide.' }).int('Page invalide.').min(1, 'Page invalide.').max(20, 'Page invalide.').default(1),
});
export type AgencyPageQuery = z.infer<typeof AgencyPageQuerySchema>;

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The e-mail domains a moderator vouches for as the agency's own: « caf.fr, cnaf.fr » or one per line. */
export const AgencyDomainsSchema = z.object({
  emailDomains: z
    .string({ error: 'Indiquez les domaines, séparés par des virgules.' })
    .max(600, 'Dix domaines au plus.')
    .transform((v) => [
      ...new Set(
        v
          .split(/[\s,;]+/)
          .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
          .filter(Boolean),
      ),
    ])
    .refine((list) => list.length <= 10, 'Dix domaines au plus.')
    .refine((list) => list.every((d) => DOMAIN.test(d)), { message: 'Écrivez des domaines comme « caf.fr » ou « ville-nantes.fr », sans espace ni @.' }),
});
export type AgencyDomainsInput = z.infer<typeof AgencyDomainsSchema>;
