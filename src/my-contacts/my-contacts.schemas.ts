import { z } from 'zod';

/** The add and remove buttons: where to come back to without JavaScript (a same-site path, checked by the handler). */
export const ToggleMyContactSchema = z.object({ retour: z.string().max(1000).optional() });
export type ToggleMyContactInput = z.infer<typeof ToggleMyContactSchema>;

export const AlertsSchema = z.object({ alerts: z.enum(['oui', 'non']), retour: z.string().max(1000).optional() });
export type AlertsInput = z.infer<typeof AlertsSchema>;
