/**
 * The embedded services die or freeze under an app that keeps running. The
 * app here is the sources (tsx) in a child process on its own embedded FerretDB and
 * Meilisearch (its own data folder, demo data): the test kills or freezes
 * those children, never the shared test services.
 *
 * Killed (SIGKILL): the supervisor starts it again on the same port with the
 * same data; meanwhile the app answers 503 pages (database) or degraded
 * search (Meilisearch), never a 500 or a hang, and everything works again
 * without restarting the app. After its kill, Meilisearch's port is held
 * until searches and readiness have seen it down, so its first restart fails
 * and is retried. Frozen (SIGSTOP): every request in flight
 * answers within the deadlines, then the service is resumed (SIGCONT).
 * Timings are printed; only "answered at all" and "back" are asserted, with
 * the client timeout as the hang detector.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { config } from '../../src/config';
import { csrfTokenOf, type RawAnswer, rawRequest } from '../support/app-server';

interface Hit {
  start: number;
  end: number;
  kind: string;
  status: number;
  text: string;
}

/** The children of `pid` whose command line matches `pattern`. */
function childPid(pid: number, pattern: RegExp): number | undefined {
  const ids = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  return ids.map(Number).find((c) => {
    try {
      return pattern.test(readFileSync(`/proc/${c}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/**
 * Takes `port` on 127.0.0.1 as soon as the killed process has let it go: every
 * connection is accepted and dropped at once, like an engine that is down, and
 * a restart on that port fails until `release()`.
 */
async function holdPort(port: number, timeoutMs = 5000): Promise<{ release(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.destroy();
    });
    const taken = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (taken) {
      return {
        release: () => {
          for (const s of sockets) s.destroy();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    }
    if (Date.now() > deadline) throw new Error(`port ${port} still taken ${timeoutMs} ms after the kill`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function waitFor<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs: number, stepMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return find();
}

describe('supervised services', function () {
  this.timeout(240_000);
  let dataDir: string;
  let app: ChildProcess | undefined;
  let port = 0;
  let cookie = '';
  const output: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const call = (path: string, headers: Record<string, string> = {}, timeoutMs = 20_000, method = 'GET', body?: string): Promise<RawAnswer> =>
    rawRequest(port, { method, path, headers, body }, agent, timeoutMs).catch((err: Error): RawAnswer => ({ status: 0, ms: 0, headers: {}, text: err.message }));

  before(async function () {
    this.timeout(180_000);
    dataDir = mkdtempSync(join(tmpdir(), 'ligne-directe-supervision-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: config.paths.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, CACHE_DIR: config.paths.cache, LOG_LEVEL: 'warn', LOG_CAPTURE: 'false', SEED_DEMO: 'true', JOBS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = child;
    port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        const ready = /prête en [\d.]+ s : http:\/\/localhost:(\d+)/.exec(output.join(''));
        if (ready) resolve(Number(ready[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the app exited with ${code}: ${output.join('').slice(-2000)}`)));
    });
    const login = await call('/connexion');
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const signedIn = await call('/connexion', { ...form, Cookie: login.cookie! }, 20_000, 'POST', new URLSearchParams({ email: 'membre@demo.test', password: 'ligne-directe-demo', _csrf: csrfTokenOf(login.text)! }).toString());
    expect(signedIn.status, signedIn.text.slice(0, 300)).to.equal(303);
    cookie = signedIn.cookie!;
    await raiseSearchCaps(form);
  });

  /** The traffic below searches ten times a second: an admin raises the per-member caps first, as in the app. */
  async function raiseSearchCaps(form: Record<string, string>) {
    const login = await call('/connexion');
    const admin = (await call('/connexion', { ...form, Cookie: login.cookie! }, 20_000, 'POST', new URLSearchParams({ email: 'admin@demo.test', password: 'ligne-directe-demo', _csrf: csrfTokenOf(login.text)! }).toString())).cookie!;
    const page = await call('/admin/seuils', { Cookie: admin });
    const values = Object.fromEntries([...page.text.matchAll(/<input type="text" id="(\w+)" name="\w+" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const saved = await call('/admin/seuils', { ...form, Cookie: admin }, 20_000, 'POST', new URLSearchParams({ ...values, searchesPerHour: '100000', searchesPerDay: '100000', _csrf: csrfTokenOf(page.text)! }).toString());
    expect(saved.status, saved.text.slice(0, 500)).to.equal(303);
  }

  after(async () => {
    agent.destroy();
    if (app && app.exitCode === null && app.signalCode === null) {
      app.kill('SIGTERM');
      await new Promise((r) => app!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs member traffic until `scenario` resolves; returns every request with its timing. */
  async function underTraffic(scenario: (now: () => number, hits: Hit[]) => Promise<void>, clientTimeoutMs = 20_000): Promise<Hit[]> {
    const hits: Hit[] = [];
    const t0 = Date.now();
    const now = () => Date.now() - t0;
    let running = true;
    const kinds: Array<[string, () => Promise<RawAnswer>]> = [
      ['compte', () => call('/compte', { Cookie: cookie }, clientTimeoutMs)],
      ['recherche JSON', () => call('/recherche?q=caf&departement=', { Cookie: cookie, Accept: 'application/json' }, clientTimeoutMs)],
      ['recherche', () => call('/recherche?q=cpam', { Cookie: cookie }, clientTimeoutMs)],
      ['ready', () => call('/health/ready', {}, clientTimeoutMs)],
      ['live', () => call('/health/live', {}, clientTimeoutMs)],
    ];
    const loops = kinds.map(async ([kind, run]) => {
      while (running) {
        const start = now();
        const res = await run();
        hits.push({ start, end: now(), kind, status: res.status, text: res.text });
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    try {
      await scenario(now, hits);
    } finally {
      running = false;
      await Promise.all(loops);
    }
    return hits;
  }

  /** What the app printed about a service (the supervisor's French lines). */
  const appLines = () => output.join('').split('\n');
  const said = (name: string) => appLines().filter((l) => l.startsWith(name)).map((l) => `        app: ${l}`).join('\n');
  /** The app's JSON log lines of one category (LOG_CAPTURE=false: they go to its stdout). */
  const logged = (category: string) => appLines().filter((l) => l.startsWith('{') && l.includes(`"cat":"${category}"`));
  const bad = (hits: Hit[]) => hits.filter((h) => h.status === 0 || (h.status >= 500 && h.status !== 503));
  const show = (hits: Hit[]) => hits.map((h) => `${h.start}–${h.end} ms ${h.kind} → ${h.status} ${h.status === 0 ? h.text : ''}`).join('\n');

  it('restarts a killed FerretDB on the same port with the same data, answering 503 pages meanwhile, and serves again without an app restart', async () => {
    const before = childPid(app!.pid!, /ferretdb-launcher/);
    expect(before, 'the app runs its embedded FerretDB').to.be.a('number');
    let killedAt = 0;
    let backAt: number | undefined;
    let restarted: number | undefined;

    const hits = await underTraffic(async (now, seen) => {
      await new Promise((r) => setTimeout(r, 800));
      process.kill(before!, 'SIGKILL');
      killedAt = now();
      restarted = await waitFor(() => {
        const pid = childPid(app!.pid!, /ferretdb-launcher/);
        return pid && pid !== before ? pid : undefined;
      }, 30_000);
      const back = await waitFor(() => seen.find((h) => h.kind === 'compte' && h.start > killedAt && h.status === 200 && seen.some((d) => d.kind === 'compte' && d.start > killedAt && d.start < h.start)), 30_000);
      backAt = back?.end;
      await new Promise((r) => setTimeout(r, 1000));
    });

    const during = hits.filter((h) => h.start > killedAt && (backAt === undefined || h.end < backAt));
    process.stdout.write(`${said('FerretDB')}\n`);
    process.stdout.write(`      FerretDB killed at ${killedAt} ms; new launcher ${restarted ? 'running' : 'missing'}; first /compte 200 after the kill at ${backAt} ms (${backAt ? backAt - killedAt : '?'} ms later); ${hits.length} requests, ${during.filter((h) => h.status === 503).length} French 503 meanwhile\n`);
    expect(restarted, 'a new FerretDB launcher').to.be.a('number');
    expect(bad(hits), show(bad(hits))).to.deep.equal([]);
    expect(backAt, '/compte answers 200 again').to.be.a('number');
    expect(output.join('')).to.match(/FerretDB s’est arrêté de façon inattendue \(SIGKILL\)/).and.match(/FerretDB a redémarré/);
    for (const h of during.filter((x) => x.kind === 'compte' && x.status === 503)) expect(h.text).to.include('La base de données ne répond pas');
    expect(during.filter((h) => h.kind === 'live').every((h) => h.status === 200)).to.equal(true);
    const last = hits.filter((h) => h.start > backAt!);
    expect(last.filter((h) => h.status !== 200), show(last)).to.deep.equal([]);
    // Same data: the demo member is still there and signed in.
    expect(last.find((h) => h.kind === 'compte')!.text).to.include('Mon compte');
  });

  it('restarts a killed Meilisearch, with degraded search meanwhile and full search again after, without an app restart', async () => {
    const before = childPid(app!.pid!, /meilisearch/);
    expect(before, 'the app runs its embedded Meilisearch').to.be.a('number');
    const meiliPort = Number(/127\.0\.0\.1:(\d+)/.exec(readFileSync(`/proc/${before}/cmdline`, 'utf8'))![1]);
    let killedAt = 0;
    let releasedAt = 0;
    let backAt: number | undefined;

    const hits = await underTraffic(async (now, seen) => {
      await new Promise((r) => setTimeout(r, 800));
      process.kill(before!, 'SIGKILL');
      killedAt = now();
      // The engine stays down (its port taken, the first restart failing) until a search and readiness have seen it down:
      // otherwise a restart within 400 ms may fall between two searches of a busy machine.
      const held = await holdPort(meiliPort);
      try {
        await waitFor(() => output.join('').includes('Meilisearch n’a pas pu redémarrer') && seen.some((d) => d.kind === 'recherche JSON' && d.start > killedAt && d.status === 200 && JSON.parse(d.text).degraded === true) && seen.some((d) => d.kind === 'ready' && d.start > killedAt && d.status === 200 && JSON.parse(d.text).search === 'down'), 30_000);
      } finally {
        await held.release();
        releasedAt = now();
      }
      const back = await waitFor(() => seen.find((h) => h.kind === 'recherche JSON' && h.start > releasedAt && h.status === 200 && JSON.parse(h.text).degraded === false), 60_000);
      backAt = back?.end;
      await new Promise((r) => setTimeout(r, 1000));
    });

    const during = hits.filter((h) => h.start > killedAt && (backAt === undefined || h.end < backAt));
    const ready = during.filter((h) => h.kind === 'ready');
    process.stdout.write(`      Meilisearch killed at ${killedAt} ms, its port held until ${releasedAt} ms; full search again at ${backAt} ms (${backAt ? backAt - releasedAt : '?'} ms after); ${during.filter((h) => h.kind.startsWith('recherche')).length} searches meanwhile, all degraded or full, none failed\n`);
    process.stdout.write(`${said('Meilisearch')}\n`);
    expect(bad(hits), show(bad(hits))).to.deep.equal([]);
    // On failure, what readiness said last tells an engine the app cannot reach from searches that fail on a reachable one.
    const lastReady = hits.filter((h) => h.kind === 'ready').at(-1)?.text ?? 'no readiness answer';
    const searches = hits.filter((h) => h.kind === 'recherche JSON' && h.start > killedAt).map((h) => `${h.start}–${h.end} ms ${h.status} ${h.status === 200 ? `degraded ${JSON.parse(h.text).degraded}` : h.text.slice(0, 80)}`);
    expect(backAt, `search is whole again; the app said:\n${said('Meilisearch')}\n${logged('search').slice(-5).join('\n')}\n        last /health/ready: ${lastReady}\n        JSON searches after the kill:\n${searches.join('\n')}`).to.be.a('number');
    expect(during.filter((h) => h.kind.startsWith('recherche')).every((h) => h.status === 200), show(during)).to.equal(true);
    // Readiness never fails for search alone, and says what is down.
    expect(ready.every((h) => h.status === 200)).to.equal(true);
    expect(ready.some((h) => JSON.parse(h.text).search === 'down')).to.equal(true);
    expect(output.join('')).to.match(/Meilisearch n’a pas pu redémarrer/).and.match(/Meilisearch a redémarré/);
    const readyAfter = JSON.parse((await call('/health/ready')).text);
    expect(readyAfter.search).to.equal('ok');
    expect(Object.values(readyAfter.services as Record<string, { restarts: number }>).map((s) => s.restarts).sort()).to.deep.equal([1, 1]);
  });

  it('answers every request in flight within the deadlines while FerretDB is frozen (SIGSTOP), and serves again after SIGCONT', async () => {
    const pid = childPid(app!.pid!, /ferretdb-launcher/)!;
    let frozenAt = 0;
    let resumedAt = 0;
    const hits = await underTraffic(async (now) => {
      await new Promise((r) => setTimeout(r, 800));
      process.kill(pid, 'SIGSTOP');
      frozenAt = now();
      try {
        await new Promise((r) => setTimeout(r, 12_000));
      } finally {
        process.kill(pid, 'SIGCONT');
        resumedAt = now();
      }
      await new Promise((r) => setTimeout(r, 6000));
    }, 15_000);

    const frozen = hits.filter((h) => h.start >= frozenAt && h.start < resumedAt);
    const slowest = Math.max(...frozen.map((h) => h.end - h.start));
    const after = hits.filter((h) => h.start > resumedAt + 3000);
    process.stdout.write(`      FerretDB frozen ${frozenAt}–${resumedAt} ms: ${frozen.length} requests started meanwhile, slowest answered in ${slowest} ms; ${frozen.filter((h) => h.status === 503).length} French 503\n`);
    // A hang shows as a client timeout (status 0, 15 s) and fails here.
    expect(bad(hits), show(bad(hits))).to.deep.equal([]);
    expect(frozen.some((h) => h.kind === 'compte' && h.status === 503)).to.equal(true);
    expect(after.length).to.be.greaterThan(3);
    expect(after.filter((h) => h.status !== 200), show(after)).to.deep.equal([]);
  });

  it('answers every search in flight while Meilisearch is frozen (SIGSTOP), degraded, and whole again after SIGCONT', async () => {
    const pid = childPid(app!.pid!, /meilisearch/)!;
    let frozenAt = 0;
    let resumedAt = 0;
    const hits = await underTraffic(async (now) => {
      await new Promise((r) => setTimeout(r, 800));
      process.kill(pid, 'SIGSTOP');
      frozenAt = now();
      try {
        await new Promise((r) => setTimeout(r, 8000));
      } finally {
        process.kill(pid, 'SIGCONT');
        resumedAt = now();
      }
      await new Promise((r) => setTimeout(r, 4000));
    }, 15_000);

    const frozen = hits.filter((h) => h.start >= frozenAt && h.start < resumedAt);
    const slowest = Math.max(...frozen.map((h) => h.end - h.start));
    process.stdout.write(`      Meilisearch frozen ${frozenAt}–${resumedAt} ms: ${frozen.length} requests started meanwhile, slowest answered in ${slowest} ms\n`);
    expect(bad(hits), show(bad(hits))).to.deep.equal([]);
    expect(frozen.filter((h) => h.kind !== 'ready').every((h) => h.status === 200), show(frozen)).to.equal(true);
    const lastSearch = hits.filter((h) => h.kind === 'recherche JSON').at(-1)!;
    expect(JSON.parse(lastSearch.text).degraded).to.equal(false);
  });
});
