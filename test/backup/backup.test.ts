import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import mongoose from 'mongoose';
import { backupDatabase, RestoreRefused, restoreDatabase } from '../../src/backup/backup';
import { config } from '../../src/config';
import { Member } from '../../src/members/member.model';
import { buildAgency, buildContact, buildMember } from '../support/factories';
import { resetDatabase } from '../support/setup';
import { testServices } from '../support/services';

const db = () => mongoose.connection.db!;

/** Every document of every collection, as the driver returns it (ObjectIds, Dates, Binary). */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of await db().listCollections({}, { nameOnly: true }).toArray()) {
    const docs = await db()
      .collection(name)
      .find({}, { sort: { _id: 1 } })
      .toArray();
    if (docs.length) out[name] = docs;
  }
  return out;
}

function runCli(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'warn', MONGODB_URL: testServices().database.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('backup', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ligne-directe-backup-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('backupDatabase() and restoreDatabase()', () => {
    it('restore every document exactly (ids, dates, nested arrays) into an emptied database', async () => {
      const agency = await buildAgency();
      await buildContact(agency, { tips: 'Demander le service partenaires.' });
      await buildMember({ moderatorRegions: ['52', '11'], role: 'moderator' });
      const before = await snapshot();
      const file = join(dir, 'round-trip.jsonl.gz');

      const saved = await backupDatabase(db(), file);
      await resetDatabase();
      const restored = await restoreDatabase(db(), file);

      expect(saved.documents).to.equal(Object.values(before).flat().length);
      expect(restored).to.deep.equal(saved);
      expect(await snapshot()).to.deep.equal(before);
      const member = await Member.findOne({ role: 'moderator' }).lean();
      expect(member?.createdAt).to.be.instanceOf(Date);
    });

    it('refuses to mix a backup with existing data, and replaces it with drop', async () => {
      await buildMember();
      const file = join(dir, 'refuse.jsonl.gz');
      await backupDatabase(db(), file);
      await buildMember();

      let refused: unknown;
      await restoreDatabase(db(), file).catch((err: unknown) => (refused = err));
      const replaced = await restoreDatabase(db(), file, { drop: true });

      expect(refused).to.be.instanceOf(RestoreRefused);
      expect(replaced.collections.members).to.equal(await Member.countDocuments());
    });

    it('rejects a truncated file without its end line', async () => {
      await buildMember();
      const file = join(dir, 'whole.jsonl.gz');
      await backupDatabase(db(), file);
      const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
      const truncated = join(dir, 'truncated.jsonl.gz');
      writeFileSync(truncated, gzipSync(`${lines.slice(0, -1).join('\n')}\n`));
      await resetDatabase();

      let error: Error | undefined;
      await restoreDatabase(db(), truncated).catch((err: Error) => (error = err));

      expect(error?.message).to.match(/tronqué/);
    });
  });

  describe('npm run backup / npm run restore', () => {
    it('write a file and load it back through the command-line tools', async function () {
      this.timeout(60_000);
      await resetDatabase();
      const member = await buildMember();
      const file = join(dir, 'cli.jsonl.gz');

      const backup = await runCli('src/backup/backup.cli.ts', ['--out', file]);
      await resetDatabase();
      const restore = await runCli('src/backup/restore.cli.ts', [file]);

      expect(backup.code, backup.output).to.equal(0);
      expect(backup.output).to.include('Sauvegarde écrite');
      expect(restore.code, restore.output).to.equal(0);
      expect((await Member.findById(member._id).lean())?.email).to.equal(member.email);
    });
  });
});
