/** Demo accounts (development only), all with the password DEMO_PASSWORD. */
import { upsertActiveMember } from '../src/members/members.service';

export const DEMO_PASSWORD = 'ligne-directe-demo';

export const DEMO_ACCOUNTS = [
  { email: 'membre@demo.test', firstName: 'Maëlle', lastName: 'Demo', departement: '44', role: 'member' as const },
  { email: 'moderateur.52@demo.test', firstName: 'Yann', lastName: 'Demo', departement: '44', role: 'moderator' as const, moderatorRegions: ['52'] },
  { email: 'moderateur.11@demo.test', firstName: 'Inès', lastName: 'Demo', departement: '93', role: 'moderator' as const, moderatorRegions: ['11'] },
  { email: 'admin@demo.test', firstName: 'Ada', lastName: 'Demo', departement: '75', role: 'admin' as const },
];

/** Creates or resets the demo accounts (idempotent). */
export async function seedDemoMembers(): Promise<number> {
  for (const account of DEMO_ACCOUNTS) {
    await upsertActiveMember({ ...account, password: DEMO_PASSWORD, employer: 'Compte de démonstration' });
  }
  return DEMO_ACCOUNTS.length;
}
