/**
 * Search is ready when the app says so (docs/search.md « 6. Search is ready when the app says so »): a missing index is
 * rebuilt before « prête », and the first search after « prête » finds the
 * demo data, on an empty database and after the search engine lost its data.
 */
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../../src/config';
import { searchIndex } from '../../src/search/meili-client';
import { ensureSearchReady, searchIndexMissing, waitForSearchIdle } from '../../src/search/search-startup';
import { buildAgency, buildContact } from '../support/factories';

/** The built server on its own embedded services, in development mode (demo data); resolves at « prête ». */
function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number; output: string }> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /prête en [\d.]+ s : http:\/\/localhost:(\d+)/.exec(output);
      if (ready) resolve({ child, port: Number(ready[1]), output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Signs in as the demo member and searches at once: what a member does right after « prête ». */
async function firstSearch(port: number, q: string): Promise<{ ready: number; total: number }> {
  const base = `http://127.0.0.1:${port}`;
  const ready = (await fetch(`${base}/health/ready`)).status;
  const login = await fetch(`${base}/connexion`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
  const signIn = await fetch(`${base}/connexion`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'membre@demo.test', password: 'ligne-directe-demo', _csrf: csrf }),
    redirect: 'manual',
  });
  const session = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${base}/recherche?q=${encodeURIComponent(q)}`, { headers: { cookie: session, accept: 'application/json' } });
  return { ready, total: ((await res.json()) as { total: number }).total };
}

describe('search/search-startup', () => {
  describe('ensureSearchReady()', () => {
    it('rebuilds an empty index when the database holds contacts, then waits for the engine', async function () {
      this.timeout(60_000);
      const agency = await buildAgency({ name: 'CCAS de Vertou', typeCode: 'CCAS', commune: 'Vertou' });
      await buildContact(agency, { service: 'Permanence logement' });
      const before = await searchIndex<{ hits: unknown[] }>('contacts', { q: 'vertou' });

      await ensureSearchReady(() => undefined);

      const after = await searchIndex<{ hits: unknown[] }>('contacts', { q: 'vertou' });
      expect(before.hits).to.have.length(0);
      expect(after.hits).to.have.length(1);
      expect(await searchIndexMissing()).to.equal(false);
      expect(await waitForSearchIdle(5000)).to.equal(true);
    });
  });

  describe('npm start', () => {
    let dataDir: string;

    before(function () {
      this.timeout(60_000);
      execFileSync(process.execPath, ['tools/build.mjs'], { cwd: config.paths.root, stdio: 'ignore' });
      dataDir = mkdtempSync(join(tmpdir(), 'ligne-directe-startup-'));
    });

    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('says « prête » on an empty database only once the demo data is searchable, and again after the search engine lost its data', async function () {
      this.timeout(240_000);
      const first = await startServer(dataDir);
      const fresh = await firstSearch(first.port, 'cpam');
      await stop(first.child);
      rmSync(join(dataDir, 'meili'), { recursive: true, force: true });
      const second = await startServer(dataDir);
      const rebuilt = await firstSearch(second.port, 'caf');
      await stop(second.child);

      expect(fresh.ready).to.equal(200);
      expect(fresh.total, first.output).to.be.greaterThan(0);
      expect(second.output).to.include('Index de recherche vide : reconstruction');
      expect(rebuilt.ready).to.equal(200);
      expect(rebuilt.total, second.output).to.be.greaterThan(0);
    });
  });
});
