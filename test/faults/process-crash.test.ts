/**
 * The app process is killed (SIGKILL: no graceful shutdown) while members add
 * and edit contacts. Each contact is one document, written by one insert or
 * one update, and MongoDB/FerretDB apply a single-document write entirely or
 * not at all: so what must hold afterwards is that no contact document is
 * partly written (every one validates, its fields agree with each other and
 * an edit's fields all come from the same edit), that every write the app
 * acknowledged is there, and that none of the in-flight contacts is visible
 * to other members. What a crash CAN leave, since a proposal is several
 * documents written one after the other (agency, contact, moderation queue
 * item), is counted and printed: see the report line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Agency } from '../../src/agencies/agency.model';
import { config } from '../../src/config';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { indexUid, meili } from '../../src/search/meili-client';
import { signedInAgent } from '../support/agent';
import { csrfTokenOf, rawRequest } from '../support/app-server';
import { buildAgency, buildMember, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { testServices } from '../support/services';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett', 'kilo', 'lima', 'mike', 'novembre', 'oscar', 'papa'];
const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

const call = (port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) => rawRequest(port, { method, path, headers, body }, undefined, 15_000);

/** `npm start` on the test run's database and search engine, resolving once it listens. */
function startApp(dataDir: string, indexPrefix: string): Promise<{ child: ChildProcess; port: number }> {
  const s = testServices();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: config.paths.root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      MONGODB_URL: s.database.url,
      MEILI_URL: s.search.url,
      MEILI_MASTER_KEY: s.search.apiKey,
      MEILI_INDEX_PREFIX: indexPrefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const ready = /prête en [\d.]+ s : http:\/\/localhost:(\d+)/.exec(output.join(''));
      if (ready) resolve({ child, port: Number(ready[1]) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}: ${output.join('')}`)));
  });
}

/** Resolves once `fingerprint` has returned the same value for `quietMs`. */
async function settled(fingerprint: () => Promise<string>, quietMs = 1000, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await fingerprint();
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await fingerprint();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error('the database kept changing after the app was killed');
}

describe('crash mid-write', function () {
  this.timeout(120_000);
  let dataDir: string;
  let app: ChildProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ligne-directe-crash-'));
  });

  after(() => {
    // If the test failed before its kill, the child must not outlive the run.
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no partly written contact, loses no acknowledged one and shows none of the interrupted ones when the app is killed while members add and edit contacts', async () => {
    const author = await buildMember({ firstName: 'Aude', lastName: 'Autrice' });
    const agency = await buildAgency({ name: 'CAF de Loire-Atlantique', commune: 'Nantes' });
    const contactsBefore = await Contact.countDocuments({});
    const indexPrefix = indexUid('contacts').slice(0, -'contacts'.length);
    const { child, port } = await startApp(dataDir, indexPrefix);
    app = child;
    const exited = new Promise((resolve) => child.once('exit', resolve));

    // Sign in to the child app.
    const login = await call(port, 'GET', '/connexion');
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const signIn = await call(port, 'POST', '/connexion', { ...form, Cookie: login.cookie! }, new URLSearchParams({ email: author.email, password: TEST_PASSWORD, _csrf: csrfTokenOf(login.text)! }).toString());
    expect(signIn.status).to.equal(303);
    const cookie = signIn.cookie!;
    const token = csrfTokenOf((await call(port, 'GET', '/contacts/nouveau', { Cookie: cookie })).text)!;

    // Writers: each adds contacts (every other one with a new agency: two inserts) and edits its own drafts (one update of several fields).
    const acknowledged: string[] = [];
    const mine = new Map<string, string>();
    let n = 0;
    let killed = false;
    const writer = async (w: number) => {
      while (!killed) {
        const i = n++;
        const word = WORDS[i % WORDS.length];
        const e164 = nextFictionalNumber('44');
        const edit = mine.size > 2 && i % 3 === 0 ? [...mine.entries()][i % mine.size] : undefined;
        const fields = {
          kind: 'service_line',
          service: `Pôle ${word}`,
          hours: `Matin ${word}`,
          tips: `Demander le pôle ${word}`,
          phone1: display(edit ? edit[1] : e164),
          phone1Kind: 'service',
          topics: 'RSA',
          _csrf: token,
        };
        const body = edit
          ? new URLSearchParams(fields).toString()
          : new URLSearchParams({
              ...fields,
              ...(i % 2 ? { agencyMode: 'new', newAgencyName: `Permanence ${word} ${w}-${i}`, newAgencyType: 'CCAS', newAgencyDepartement: '44' } : { agencyMode: 'existing', agencyId: String(agency._id) }),
            }).toString();
        const res = await call(port, 'POST', edit ? `/contacts/${edit[0]}/modifier` : '/contacts/nouveau', { ...form, Cookie: cookie }, body).catch(() => undefined);
        if (!res) return; // the connection died with the app
        if (res.status === 303 && !edit) {
          const id = String(res.headers.location).split('/').pop()!;
          acknowledged.push(id);
          mine.set(id, e164);
        }
        if (res.status >= 500) throw new Error(`${res.status} before the crash: ${res.text.slice(0, 200)}`);
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    // Kill once writes are flowing, at a moment that is not a request boundary.
    while (acknowledged.length < 12) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 37));
    child.kill('SIGKILL');
    killed = true;
    await exited;
    await Promise.all(writers);
    // Commands the app had already handed to the database still complete after its death: wait until nothing changes.
    await settled(async () => JSON.stringify(await Contact.find({ createdBy: author._id }, { updatedAt: 1 }).lean()));

    // Every contact written since start: complete, consistent, and all acknowledged ones present.
    const written = await Contact.find({ createdBy: author._id }).lean<ContactDoc[]>();
    const problems: string[] = [];
    for (const c of written) {
      const invalid = await new Contact(c).validate().then(() => undefined, (err: Error) => err);
      if (invalid) problems.push(`${c._id}: ${invalid.message}`);
      const word = /^Pôle (\w+)$/.exec(c.service ?? '')?.[1];
      if (!word || c.hours !== `Matin ${word}` || c.tips !== `Demander le pôle ${word}`) problems.push(`${c._id}: fields from different writes (${c.service} / ${c.hours} / ${c.tips})`);
      if (JSON.stringify(c.phoneKeys) !== JSON.stringify(c.phones.map((p) => p.e164)) || !c.phones.length) problems.push(`${c._id}: phones and phoneKeys disagree`);
      const home = await Agency.findById(c.agencyId).lean();
      if (!home || home.departement !== c.departement || home.region !== c.region) problems.push(`${c._id}: agency missing or not matching`);
      if (c.state !== 'pending') problems.push(`${c._id}: state ${c.state}`);
    }
    const missing = acknowledged.filter((id) => !written.some((c) => String(c._id) === id));

    expect(acknowledged.length).to.be.at.least(12);
    expect(problems).to.deep.equal([]);
    expect(missing, 'acknowledged contacts missing after the crash').to.deep.equal([]);
    expect(await Contact.countDocuments({})).to.equal(contactsBefore + written.length);

    // After the crash (the in-process app plays the restarted one): the author sees each contact whole; other members see none; search has none.
    const authorAgent = await signedInAgent(author.email, TEST_PASSWORD);
    const otherAgent = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    for (const c of written) {
      const own = await authorAgent.get(`/contacts/${c._id}`);
      expect(own.status, `author, ${c._id}`).to.equal(200);
      expect(own.text).to.include(c.service!).and.include(c.hours!).and.include('En attente de vérification');
      expect((await otherAgent.get(`/contacts/${c._id}`)).status, `other member, ${c._id}`).to.equal(404);
    }
    const indexed = await meili().index(indexUid('contacts')).getDocuments({ fields: ['id'], limit: 10_000 });
    const writtenIds = new Set(written.map((c) => String(c._id)));
    expect(indexed.results.filter((d) => writtenIds.has(String(d.id))), 'interrupted contacts in the search index').to.deep.equal([]);

    // What several-document operations can leave behind: reported, not hidden.
    const queue = mongoose.connection.collection('queue_items');
    const queued = new Set((await queue.find({ contactId: { $in: written.map((c) => c._id) } }).project({ contactId: 1 }).toArray()).map((q) => String(q.contactId)));
    const unqueued = written.filter((c) => !queued.has(String(c._id))).length;
    const newAgencies = await Agency.find({ createdBy: author._id }).lean();
    const emptyAgencies = newAgencies.filter((a) => !written.some((c) => String(c.agencyId) === String(a._id))).length;
    process.stdout.write(
      `      killed after ${acknowledged.length} acknowledged proposals (${n} requests sent); ${written.length} contacts in the database, all whole; ` +
        `${unqueued} pending without a moderation queue item, ${emptyAgencies} new agencies without their contact\n`,
    );
  });
});
