/** Query of the moderation dashboard. */
import { z } from 'zod';
import { isRegionCode } from '../reference/territories';

/** GET /moderation: an empty `region` (the « toutes » option) means the actor's whole scope. */
export const DashboardQuerySchema = z.object({
  region: z
    .string({ error: 'Région inconnue.' })
    .max(3, 'Région inconnue.')
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || isRegionCode(v), 'Région inconnue.'),
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;
