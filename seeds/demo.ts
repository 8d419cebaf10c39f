/** Seeds the demo data set. Refuses to run in production. Idempotent. */
import { config } from '../src/config';
import { count } from '../src/core/plural';
import { rebuildDirectoryKeys } from '../src/jobs/rebuild-keys';
import { Member } from '../src/members/member.model';
import { syncNow } from '../src/search/indexer';
import { seedDemoAgencies } from './agencies';
import { seedDemoContacts } from './contacts';
import { seedDemoMembers } from './members';
import { seedDemoQueue } from './queue';

export type Say = (line: string) => void;

/** Demo accounts, then agencies, their contacts and the moderation queue (each step creates or resets its own entries). */
export async function seedDemo(say: Say): Promise<void> {
  if (config.isProduction) throw new Error('Les données de démonstration sont interdites en production.');
  const accounts = await seedDemoMembers();
  say(`Démonstration : ${accounts} comptes (mot de passe « ligne-directe-demo »).`);
  const agencies = await seedDemoAgencies();
  const contacts = await seedDemoContacts();
  // Bulk inserts skip the models' hooks: write the keyed sets of the directory in one pass.
  await rebuildDirectoryKeys();
  say(`Démonstration : ${agencies} agences et ${contacts} fiches (numéros fictifs réservés par l'ARCEP).`);
  // After the keyed sets: the services read them (duplicates, open items).
  const queued = await seedDemoQueue();
  if (queued) say(`Démonstration : ${count(queued, 'élément ajouté', 'éléments ajoutés')} à la file de modération.`);
}

/** In development, seeds an empty database on first start so a newcomer lands on content. */
export async function seedIfEmpty(say: Say): Promise<boolean> {
  if (!config.seedDemo || config.isProduction) return false;
  if ((await Member.estimatedDocumentCount()) > 0) return false;
  say('Base vide : chargement des données de démonstration…');
  await seedDemo(say);
  // The demo set is small: push it to the search index now rather than at the next outbox pass.
  await syncNow().catch(() => say('Index de recherche pas encore à jour : il le sera dès que le moteur répondra.'));
  return true;
}
