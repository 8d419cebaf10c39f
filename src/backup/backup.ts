/**
 * A portable backup of the whole database, for installations without
 * mongodump (the embedded FerretDB, a host without MongoDB's tools): one
 * gzipped file of lines, a header then one canonical Extended JSON document
 * per line, so ObjectIds, dates and binary values come back exactly. Indexes
 * are not saved: the app rebuilds every model's indexes when it starts.
 * Docker Compose deployments back up with mongodump instead (README).
 */
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import mongoose from 'mongoose';

const { EJSON } = mongoose.mongo.BSON;
type Db = mongoose.mongo.Db;
type Document = mongoose.mongo.Document;

export const BACKUP_FORMAT = 'ligne-directe-backup';
const BATCH = 500;

/** First line of the file. */
interface Header {
  format: typeof BACKUP_FORMAT;
  version: 1;
  database: string;
  createdAt: string;
  collections: string[];
}

/** Last line: its absence or a wrong count means a truncated file. */
interface Trailer {
  end: true;
  collections: Record<string, number>;
}

export interface BackupSummary {
  collections: Record<string, number>;
  documents: number;
}

async function collectionNames(db: Db): Promise<string[]> {
  const list = await db.listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
}

/** Writes every collection of `db` to `file` (written beside, then renamed: never half a file). */
export async function backupDatabase(db: Db, file: string): Promise<BackupSummary> {
  const names = await collectionNames(db);
  const header: Header = { format: BACKUP_FORMAT, version: 1, database: db.databaseName, createdAt: new Date().toISOString(), collections: names };
  const partial = `${file}.partial`;
  const written: Record<string, number> = {};
  async function* lines() {
    yield `${JSON.stringify(header)}\n`;
    for (const name of names) {
      written[name] = 0;
      for await (const doc of db.collection(name).find({}, { sort: { _id: 1 } })) {
        written[name]++;
        yield `${EJSON.stringify({ c: name, d: doc }, { relaxed: false })}\n`;
      }
    }
    const trailer: Trailer = { end: true, collections: written };
    yield `${JSON.stringify(trailer)}\n`;
  }
  try {
    await pipeline(lines, createGzip(), createWriteStream(partial, { mode: 0o600 }));
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { collections: written, documents: Object.values(written).reduce((a, b) => a + b, 0) };
}

/** Thrown when a restore would mix the backup with existing data. */
export class RestoreRefused extends Error {}

/**
 * Loads `file` into `db`. Refuses when a collection of the backup already
 * holds documents, unless `drop` is set, which empties those collections first.
 */
export async function restoreDatabase(db: Db, file: string, opts: { drop?: boolean } = {}): Promise<BackupSummary> {
  const input = createReadStream(file).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  const restored: Record<string, number> = {};
  let header: Header | undefined;
  let trailer: Trailer | undefined;
  let batch: Document[] = [];
  let batchCollection = '';
  const flush = async () => {
    if (batch.length) await db.collection(batchCollection).insertMany(batch, { ordered: true });
    batch = [];
  };
  try {
    for await (const line of reader) {
      if (!line) continue;
      if (!header) {
        header = JSON.parse(line) as Header;
        if (header.format !== BACKUP_FORMAT || header.version !== 1) throw new Error(`${file} n’est pas une sauvegarde de Ligne directe`);
        const existing = new Set(await collectionNames(db));
        for (const name of header.collections) {
          restored[name] = 0;
          if (!existing.has(name)) continue;
          if (opts.drop) await db.collection(name).deleteMany({});
          else if ((await db.collection(name).estimatedDocumentCount()) > 0) {
            throw new RestoreRefused(`la collection « ${name} » contient déjà des données (relancez avec --drop pour la remplacer)`);
          }
        }
        continue;
      }
      if (trailer) throw new Error(`${file} : données après la fin de la sauvegarde`);
      if (line.startsWith('{"end":')) {
        trailer = JSON.parse(line) as Trailer;
        continue;
      }
      const { c, d } = EJSON.parse(line, { relaxed: false }) as { c: string; d: Document };
      if (c !== batchCollection || batch.length >= BATCH) {
        await flush();
        batchCollection = c;
      }
      batch.push(d);
      restored[c] = (restored[c] ?? 0) + 1;
    }
    await flush();
  } finally {
    reader.close();
    input.destroy();
  }
  if (!header) throw new Error(`${file} est vide`);
  if (!trailer) throw new Error(`${file} est tronqué : la fin de la sauvegarde manque`);
  for (const [name, count] of Object.entries(trailer.collections)) {
    if ((restored[name] ?? 0) !== count) throw new Error(`${file} : ${restored[name] ?? 0} documents sur ${count} dans « ${name} »`);
  }
  return { collections: restored, documents: Object.values(restored).reduce((a, b) => a + b, 0) };
}

/** Default file name: ligne-directe-2026-12-02T07-45-00Z.jsonl.gz */
export function backupFileName(now = new Date()): string {
  return `ligne-directe-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z.jsonl.gz`;
}
