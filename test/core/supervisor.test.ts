import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { request } from 'undici';
import { type EmbeddedSearch, startMeilisearch } from '../../src/core/embedded/meilisearch';
import { supervisedServices } from '../../src/core/embedded/supervisor';

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await request(`${url}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

describe('core/embedded/supervisor', function () {
  this.timeout(60_000);
  let dir: string;
  let meili: EmbeddedSearch;
  const lines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ligne-directe-supervisor-'));
    meili = await startMeilisearch({ dir, say: (l) => lines.push(l) });
  });

  after(async () => {
    await meili.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a killed child again on the same port with the same data, and says so', async () => {
    const first = meili.process.child.pid;
    const key = (await (await request(`${meili.url}/keys`, { headers: { authorization: `Bearer ${meili.apiKey}` } })).body.json()) as { results: unknown[] };

    const exited = new Promise((r) => meili.process.child.once('exit', r));
    meili.process.child.kill('SIGKILL');
    const t0 = Date.now();
    await exited;
    await meili.supervisor.ready();
    const ms = Date.now() - t0;

    process.stdout.write(`      Meilisearch back ${ms} ms after SIGKILL\n`);
    expect(meili.process.child.pid).to.not.equal(first);
    expect(await healthy(meili.url)).to.equal(true);
    const again = (await (await request(`${meili.url}/keys`, { headers: { authorization: `Bearer ${meili.apiKey}` } })).body.json()) as { results: unknown[] };
    expect(again.results.length).to.equal(key.results.length);
    expect(meili.supervisor.status()).to.include({ state: 'running', restarts: 1 });
    expect(lines.join('\n')).to.match(/Meilisearch s’est arrêté de façon inattendue \(SIGKILL\)/).and.match(/Meilisearch a redémarré/);
  });

  it('never restarts a child stopped on purpose', async () => {
    const other = await startMeilisearch({ dir: join(dir, 'other') });
    const name = other.supervisor.name;

    await other.stop();
    await new Promise((r) => setTimeout(r, 1500));

    expect(other.supervisor.status().state).to.equal('stopped');
    expect(other.process.child.exitCode !== null || other.process.child.signalCode !== null).to.equal(true);
    expect(await healthy(other.url)).to.equal(false);
    expect(supervisedServices().map((s) => s.name)).to.not.include(name);
  });
});
