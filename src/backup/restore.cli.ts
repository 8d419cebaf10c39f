/**
 * npm run restore -- FILE [--drop] — loads a file written by npm run backup.
 * Refuses to mix it with existing data unless --drop, which empties the
 * collections of the backup first. Run it with the app stopped.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { runTask } from '../boot';
import { restoreDatabase } from './backup';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { drop: { type: 'boolean', default: false } } });
if (positionals.length !== 1) {
  process.stderr.write('Usage : npm run restore -- FICHIER [--drop]\n');
  process.exit(2);
}
const file = resolve(positionals[0]);

await runTask('restore', { search: false, mail: false }, async (say) => {
  const summary = await restoreDatabase(mongoose.connection.db!, file, { drop: values.drop });
  say(`Sauvegarde restaurée : ${summary.documents} documents dans ${Object.keys(summary.collections).length} collections.`);
  say('Au prochain démarrage, l’application recrée les index ; lancez ensuite « npm run reindex » pour la recherche.');
});
