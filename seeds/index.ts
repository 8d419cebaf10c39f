/**
 * npm run seed [-- --contacts N] — loads the demo data set (development and test only) and,
 * with --contacts, replaces the synthetic benchmark set by N contacts.
 */
import { parseArgs } from 'node:util';
import { runTask } from '../src/boot';
import { config } from '../src/config';
import { seedDemo } from './demo';
import { seedSyntheticContacts } from './synthetic';
import { reindexAll } from '../src/search/reindex';
import { rebuildDirectoryKeys } from '../src/jobs/rebuild-keys';

const USAGE = 'Usage : npm run seed [-- --contacts N]   (N : nombre entier de fiches synthétiques, de 1 à 1 000 000)\n';
const MAX_CONTACTS = 1_000_000;

/** The number of synthetic contacts asked for (undefined: none), or a French error message. */
function parseSeedArgs(args: string[]): { contacts?: number } | { error: string } {
  let values: { contacts?: string };
  try {
    ({ values } = parseArgs({ args, options: { contacts: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch {
    return { error: 'Option inconnue ou incomplète.' };
  }
  if (values.contacts === undefined) return {};
  const text = values.contacts.replace(/[\s_]/g, '');
  const contacts = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(contacts) || contacts < 1 || contacts > MAX_CONTACTS) {
    return { error: `--contacts attend un nombre entier entre 1 et 1 000 000 (reçu : « ${values.contacts} »).` };
  }
  return { contacts };
}

if (config.isProduction) {
  process.stderr.write('npm run seed est interdit en production : il crée des comptes de démonstration.\n');
  process.exit(1);
}

const parsed = parseSeedArgs(process.argv.slice(2));
if ('error' in parsed) {
  process.stderr.write(`${parsed.error}\n${USAGE}`);
  process.exit(2);
}

await runTask('seed', { search: true, mail: false }, async (say) => {
  await seedDemo(say);
  // Progress lines (one per batch of 5 000) carry the elapsed time.
  if (parsed.contacts) {
    await seedSyntheticContacts(parsed.contacts, say);
    const keys = await rebuildDirectoryKeys();
    say(`Clés de recherche en base reconstruites : ${keys.keys.toLocaleString('fr-FR')}.`);
  }
  const { contacts, seconds } = await reindexAll();
  say(`Index de recherche reconstruits : ${contacts.toLocaleString('fr-FR')} fiches en ${seconds.toFixed(1)} s.`);
});
