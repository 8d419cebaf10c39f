/**
 * The database stops while people use the app: pages that need it answer a
 * French 503 within a few seconds (never a 500, never a hang), pages that do
 * not need it keep working, and everything comes back once the database is
 * back, without restarting the app. Sessions survive, since they live in the
 * database.
 */
import http from 'node:http';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { toAppError } from '../../src/core/error-handler';
import { REQUEST_DEADLINE_MS } from '../../src/core/request-deadline';
import { saveThresholds } from '../../src/settings/thresholds';
import { type AppServer, csrfTokenOf, type RawAnswer, rawRequest, startAppServer } from '../support/app-server';
import { buildMember, TEST_PASSWORD } from '../support/factories';
import { restartDatabase, stopDatabase } from '../support/services';

interface Hit {
  /** Milliseconds since the traffic started. */
  start: number;
  end: number;
  kind: string;
  status: number;
  type: string;
  text: string;
}

describe('database outage', function () {
  this.timeout(120_000);
  let server: AppServer;
  let cookie: string;
  let token: string;
  // A connection per request: a kept-alive socket that the server closes as the client reuses it
  // fails with « socket hang up » before reaching the app, which would read as a dropped answer.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 8 });

  // The client waits longer than the app's own last-resort deadline: a hang is a request the app never answers, not a slow 503.
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> =>
    rawRequest(server.port, { method, path, headers, body }, agent, REQUEST_DEADLINE_MS + 5_000);

  const tokenOf = (res: RawAnswer) => csrfTokenOf(res.text)!;
  const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

  before(async () => {
    // Hundreds of searches by one member in a few seconds: lift the usage caps, which are not what this test is about.
    const lifted = 1_000_000;
    await saveThresholds({ searchesPerHour: lifted, searchesPerDay: lifted, contactViewsPerHour: lifted, contactViewsPerDay: lifted });
    server = await startAppServer();
    const member = await buildMember();
    const login = await call('GET', '/connexion');
    const signedIn = await call('POST', '/connexion', { ...FORM, Cookie: login.cookie! }, new URLSearchParams({ email: member.email, password: TEST_PASSWORD, _csrf: tokenOf(login) }).toString());
    expect(signedIn.status).to.equal(303);
    cookie = signedIn.cookie!;
    token = tokenOf(await call('GET', '/compte', { Cookie: cookie }));
  });

  after(async () => {
    agent.destroy();
    await server.close();
  });

  /** What people do: search, read their account, save their profile, load the home page and the stylesheet; and the /health probe. */
  const traffic: Array<[kind: string, run: () => Promise<RawAnswer>]> = [
    ['recherche', () => call('GET', '/recherche?q=caf', { Cookie: cookie })],
    ['recherche JSON', () => call('GET', '/recherche?q=caf', { Cookie: cookie, Accept: 'application/json' })],
    ['compte', () => call('GET', '/compte', { Cookie: cookie })],
    ['profil (écriture)', () => call('POST', '/compte', { ...FORM, Cookie: cookie }, new URLSearchParams({ firstName: 'Camille', lastName: 'Durand', profession: 'ass', employer: 'CCAS de Nantes', departement: '44', _csrf: token }).toString())],
    ['accueil (visiteur)', () => call('GET', '/')],
    ['feuille de style', () => call('GET', '/static/css/app.css')],
    ['health', () => call('GET', '/health')],
  ];

  /** The home page, the stylesheet and /health answer without the database; the other kinds need it. */
  const needsDb = (h: Pick<Hit, 'kind'>) => !/accueil|feuille|health/.test(h.kind);
  const DB_KINDS = traffic.filter(([kind]) => needsDb({ kind })).length;

  it('answers a French 503 while the database is stopped, then serves again once it is back, without restarting the app', async () => {
    const hits: Hit[] = [];
    let running = true;
    const t0 = Date.now();
    const now = () => Date.now() - t0;
    // What the driver saw of the server (its monitor's heartbeats and the server's state changes), shown if the app does not come back.
    const driver: string[] = [];
    const client = mongoose.connection.getClient();
    const onHeartbeatFailed = (e: mongoose.mongo.ServerHeartbeatFailedEvent) => driver.push(`${now()} ms heartbeat failed: ${e.failure.message}`);
    const onServerChanged = (e: mongoose.mongo.ServerDescriptionChangedEvent) =>
      driver.push(`${now()} ms server ${e.previousDescription.type} → ${e.newDescription.type}${e.newDescription.error ? ` (${e.newDescription.error.message})` : ''}`);
    client.on('serverHeartbeatFailed', onHeartbeatFailed);
    client.on('serverDescriptionChanged', onServerChanged);
    const loops = traffic.map(async ([kind, run]) => {
      while (running) {
        const start = now();
        const res = await run().catch((err: Error): RawAnswer => ({ status: 0, ms: 0, headers: {}, text: err.message }));
        hits.push({ start, end: now(), kind, status: res.status, type: String(res.headers['content-type'] ?? ''), text: res.text });
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    await new Promise((r) => setTimeout(r, 500));
    const stoppingAt = now();
    await stopDatabase(); // FerretDB keeps answering while it shuts down (about 3 s here)
    const stoppedAt = now();
    const firstDown = await waitFor(() => hits.find((h) => h.end > stoppedAt && h.status === 503 && needsDb(h)), 10_000);
    // Every kind of request gets time to start and fail once more, wholly inside the outage: each may wait for
    // server selection (2.5 s) more than once, longer on a loaded machine, so wait for them rather than for a fixed time.
    const kindsDown = () => new Set(hits.filter((h) => firstDown && h.start > firstDown.end && h.status === 503 && needsDb(h)).map((h) => h.kind));
    await waitFor(() => (kindsDown().size === DB_KINDS ? true : undefined), 40_000);
    await new Promise((r) => setTimeout(r, 500));
    const restartingAt = now();
    await restartDatabase();
    const backAt = now();
    const firstBack = await waitFor(() => hits.find((h) => h.start > backAt && h.status === 200 && h.kind === 'compte'), 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    running = false;
    await Promise.all(loops);
    client.off('serverHeartbeatFailed', onHeartbeatFailed);
    client.off('serverDescriptionChanged', onServerChanged);

    const describe = (list: Hit[]) => list.map((h) => `${h.start}–${h.end} ms ${h.kind} → ${h.status}`).join('\n');
    // Requests wholly inside the outage, once the app had noticed it (one in flight may still finish with what it had read).
    const down = hits.filter((h) => firstDown && h.start > firstDown.end && h.end < restartingAt);
    const after = hits.filter((h) => firstBack && h.start > firstBack.end + 500);
    process.stdout.write(`      database stopping at ${stoppingAt} ms, stopped at ${stoppedAt} ms, first 503 at ${firstDown?.end} ms; restarted at ${restartingAt}–${backAt} ms, first 200 at ${firstBack?.end} ms; ${hits.length} requests\n`);

    // Never a 500, a dropped connection or a hang, whatever the moment.
    expect(hits.filter((h) => h.status === 0 || (h.status >= 500 && h.status !== 503)), describe(hits.filter((h) => h.status === 0 || h.status >= 500))).to.deep.equal([]);
    // Timings (time to the first 503, to recovery, slowest answer) are printed above, never asserted:
    // they depend on the machine's load. A hang shows as a client timeout (status 0) and fails above.
    // Down: a French 503 page within a few seconds for what needs the database; the rest still works.
    expect(firstDown, 'a 503 while the database is stopped').to.not.equal(undefined);
    const downPages = down.filter(needsDb);
    expect(new Set(downPages.map((h) => h.kind)), 'every kind of request that needs the database got its 503').to.have.lengthOf(4);
    for (const h of downPages) {
      expect(h.status, `${h.kind} at ${h.start}–${h.end} ms`).to.equal(503);
      if (h.type.startsWith('text/html')) {
        expect(h.text).to.include('<html lang="fr">').and.include('La base de données ne répond pas').and.include('Service momentanément indisponible');
      } else {
        expect(JSON.parse(h.text).error).to.include({ status: 503, code: 'database_unavailable' });
      }
    }
    expect(down.filter((h) => /accueil|feuille/.test(h.kind)).map((h) => h.status)).to.satisfy((s: number[]) => s.length > 0 && s.every((x) => x === 200));
    expect(down.filter((h) => h.kind === 'health').every((h) => h.status === 503 && JSON.parse(h.text).database === 'down')).to.equal(true);
    // Back: everything answers 200 again, and the session (kept in the database) still signs the member in.
    expect(firstBack, `a 200 after the restart; the driver saw:\n${driver.slice(-30).join('\n')}`).to.not.equal(undefined);
    expect(after.length).to.be.greaterThan(4);
    expect(after.filter((h) => h.status !== (h.kind.startsWith('profil') ? 303 : 200)), describe(after)).to.deep.equal([]);
    expect(after.find((h) => h.kind === 'compte')!.text).to.include('Mon compte');
  });

  it('maps the raw socket error the MongoDB driver lets through mid-command to the 503, and no other socket error', () => {
    // Seen during the outage above: "This socket has been ended by the other party" (EPIPE), not wrapped by the driver.
    const fromDriver = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    fromDriver.stack = `Error: ${fromDriver.message}\n    at Connection.writeCommand (/app/node_modules/mongodb/lib/cmap/connection.js:1:1)`;
    const fromMail = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' });
    fromMail.stack = `Error: ${fromMail.message}\n    at SMTPConnection (/app/node_modules/nodemailer/lib/smtp-connection/index.js:1:1)`;

    expect(toAppError(fromDriver)).to.include({ status: 503, code: 'database_unavailable' });
    expect(toAppError(new Error('wrapped', { cause: fromDriver }))).to.include({ status: 503 });
    expect(toAppError(fromMail)).to.equal(undefined);
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return find();
}
