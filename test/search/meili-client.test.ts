/**
 * The transport to the engine, against the test Meilisearch reached through a
 * TCP relay that counts connections (and can stop relaying), and against
 * servers that never answer: connections are kept and reused, a frozen or
 * absent engine turns into an error within its deadline, never a hang.
 */
import { expect } from 'chai';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connectSearch, engineErrorCode, indexUid, meili, searchHealthy, searchIndex } from '../../src/search/meili-client';
import { testServices } from '../support/services';

/** Relays TCP to `target`; counts the connections it accepted. `freeze` keeps accepting but relays nothing. */
async function relay(target: URL) {
  const sockets = new Set<Socket>();
  let frozen = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (frozen) return;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    freeze: () => {
      frozen = true;
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('search/meili-client', function () {
  this.timeout(30_000);
  let proxy: Awaited<ReturnType<typeof relay>>;
  const engine = () => testServices().search;
  const useEngineAt = (host: string) => connectSearch({ host, apiKey: engine().apiKey, prefix: indexUid('') });

  beforeEach(async () => {
    proxy = await relay(new URL(engine().url));
    useEngineAt(proxy.url);
  });

  afterEach(async () => {
    useEngineAt(engine().url);
    await proxy.close();
  });

  it('keeps its connections: twenty searches one after another open one, sixteen at once no more than sixteen', async () => {
    await meili().createIndex(indexUid('transport'), { primaryKey: 'id' }).waitTask({ timeout: 20_000 });
    await meili().index(indexUid('transport')).addDocuments([{ id: '1', name: 'CAF de Loire-Atlantique' }]).waitTask({ timeout: 20_000 });
    const before = proxy.accepted();

    for (let i = 0; i < 20; i++) {
      const res = await searchIndex<{ hits: Array<{ id: string }> }>('transport', { q: 'caf' });
      expect(res.hits.map((h) => h.id)).to.deep.equal(['1']);
    }
    const sequential = proxy.accepted() - before;
    await Promise.all(Array.from({ length: 16 }, () => searchIndex('transport', { q: 'loire' })));

    expect(sequential).to.be.at.most(1);
    expect(proxy.accepted() - before).to.be.at.most(16);
  });

  it('gives the engine’s own error code for a refused request', async () => {
    const err = await searchIndex('does-not-exist', { q: 'caf' }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(engineErrorCode(err)).to.equal('index_not_found');
  });

  it('fails within the deadline when the engine accepts connections but never answers, and reports it unhealthy', async function () {
    // Shorter than the transport's 30 s default: only the callers' own deadlines can end this test in time.
    this.timeout(20_000);
    expect(await searchHealthy()).to.equal(true);
    proxy.freeze();

    const err = await searchIndex('transport', { q: 'caf' }, 300).then(
      () => undefined,
      (e: unknown) => e,
    );
    const healthy = await searchHealthy(300);

    expect(err).to.be.instanceOf(Error);
    expect(healthy).to.equal(false);
  });

  it('fails at once when nothing listens, and recovers when the engine is back', async () => {
    await proxy.close();
    const err = await searchIndex('transport', { q: 'caf' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect(await searchHealthy()).to.equal(false);

    useEngineAt(engine().url);
    expect(await searchHealthy()).to.equal(true);
  });
});
