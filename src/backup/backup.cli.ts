/** npm run backup [-- --out FILE] — writes the whole database to one gzipped Extended JSON file (see backup.ts). */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { runTask } from '../boot';
import { config } from '../config';
import { backupDatabase, backupFileName } from './backup';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const file = values.out ? resolve(values.out) : join(config.paths.root, 'backups', backupFileName());

await runTask('backup', { search: false, mail: false }, async (say) => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const summary = await backupDatabase(mongoose.connection.db!, file);
  const collections = Object.keys(summary.collections).length;
  say(`Sauvegarde écrite : ${file} (${summary.documents} documents, ${collections} collections).`);
});
