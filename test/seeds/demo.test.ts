import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Agency, type AgencyDoc } from '../../src/agencies/agency.model';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { isFictionalNumber, parsePhone } from '../../src/contacts/phone';
import { config } from '../../src/config';
import { foldKey } from '../../src/core/text';
import { Member } from '../../src/members/member.model';
import { getAgencyType, isTopicCode, listTopicsForAgencyType } from '../../src/reference/catalog';
import { getDepartement } from '../../src/reference/territories';
import { screenText } from '../../src/screening/screening';
import { Report } from '../../src/signals/signal.models';
import { DEMO_AGENCIES } from '../../seeds/agencies';
import { FREE_TEXT_FIELDS, ROLE_TEMPLATES } from '../../seeds/contacts';
import { seedDemo } from '../../seeds/demo';
import { DEMO_ACCOUNTS } from '../../seeds/members';

const require = createRequire(import.meta.url);
type CogCommune = { nom: string; departement?: string; codesPostaux?: string[] };
const communes = require('@etalab/decoupage-administratif/data/communes.json') as CogCommune[];

const DAY = 24 * 60 * 60 * 1000;
const quiet = () => undefined;

function runSeed(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'seeds/index.ts', ...args], {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

/** Every agency and contact id with its last write. */
async function stamps(): Promise<string> {
  const docs = [...(await Agency.find({}, { updatedAt: 1 }).lean()), ...(await Contact.find({}, { updatedAt: 1 }).lean())];
  return docs.map((d) => `${d._id}@${d.updatedAt.toISOString()}`).sort().join(',');
}

describe('seeds/demo', () => {
  let firstCounts: number[];
  let firstStamps: string;
  let agencies: AgencyDoc[];
  let contacts: ContactDoc[];
  const agencyOf = (c: ContactDoc) => agencies.find((a) => a._id.equals(c.agencyId))!;

  before(async function () {
    this.timeout(120_000);
    await seedDemo(quiet);
    firstCounts = await Promise.all([Member.countDocuments(), Agency.countDocuments(), Contact.countDocuments()]);
    firstStamps = await stamps();
    await seedDemo(quiet);
    agencies = await Agency.find().lean<AgencyDoc[]>();
    contacts = await Contact.find().lean<ContactDoc[]>();
  });

  describe('seedDemo()', () => {
    it('leaves the same accounts, agencies and contacts when it runs twice', async () => {
      const again = await Promise.all([Member.countDocuments(), Agency.countDocuments(), Contact.countDocuments()]);

      expect(again).to.deep.equal(firstCounts);
      expect(again).to.deep.equal([DEMO_ACCOUNTS.length, DEMO_AGENCIES.length, contacts.length]);
    });

    it('writes no agency or contact the second time', async () => {
      expect(await stamps()).to.equal(firstStamps);
    });

    it('puts back a demo contact changed by hand, keeping its id', async () => {
      const target = contacts.find((c) => c.state === 'pending')!;
      await Contact.updateOne({ _id: target._id }, { $set: { state: 'rejected', tips: 'Modifiée à la main.' } });

      await seedDemo(quiet);

      const after = await Contact.findById(target._id).lean<ContactDoc>();
      expect([after?.state, after?.tips]).to.deep.equal(['pending', target.tips]);
      expect(await Contact.countDocuments()).to.equal(contacts.length);
    });

    it('creates agencies in at least 12 départements across at least 6 régions, overseas included', () => {
      const departements = new Set(agencies.map((a) => a.departement));
      const regions = new Set(agencies.map((a) => a.region));

      expect(departements.size).to.be.at.least(12);
      expect(regions.size).to.be.at.least(6);
      expect([...departements]).to.include.members(['44', '49', '35', '33', '69', '75', '93', '13', '59', '31', '67', '974']);
    });

    it('gives each agency a catalog type and level, its région, a real commune and postcode and a fictional switchboard', () => {
      for (const a of agencies) {
        const type = getAgencyType(a.typeCode);
        expect(type, a.name).to.not.equal(undefined);
        expect(type!.levels, a.name).to.include(a.level);
        if (type!.departements) expect(type!.departements, a.name).to.include(a.departement);
        expect(a.region, a.name).to.equal(getDepartement(a.departement)!.regionCode);
        expect(a.nameKey).to.equal(foldKey(a.name));
        const commune = communes.find((c) => c.nom === a.commune && c.departement === a.departement);
        expect(commune?.codesPostaux, `${a.name}: ${a.commune} ${a.postcode}`).to.include(a.postcode);
        expect(isFictionalNumber(a.switchboard!), a.name).to.equal(true);
      }
      expect(new Set(agencies.map((a) => a.switchboard)).size).to.equal(agencies.length);
    });

    it('gives every agency 3 to 6 contacts, agents and service lines', () => {
      for (const a of agencies) {
        const own = contacts.filter((c) => c.agencyId.equals(a._id));
        expect(own.length, a.name).to.be.within(3, 6);
      }
      expect(contacts.filter((c) => c.kind === 'agent').length).to.be.above(150);
      expect(contacts.filter((c) => c.kind === 'service_line').length).to.be.above(100);
    });

    it('uses only numbers of the fiction blocks, never the same one for two contacts', () => {
      const seen = new Map<string, string>();
      for (const c of contacts) {
        expect(c.phones.length, String(c._id)).to.be.at.least(1);
        expect(c.phoneKeys).to.deep.equal([...new Set(c.phones.map((p) => p.e164))]);
        for (const p of c.phones) {
          expect(isFictionalNumber(p.e164), p.e164).to.equal(true);
          const parsed = parsePhone(p.e164, { departement: c.departement });
          expect(parsed.ok && parsed.phone.e164, p.e164).to.equal(p.e164);
          if (p.kind === 'switchboard') {
            expect(p.e164).to.equal(agencyOf(c).switchboard);
            expect(p.extension).to.match(/^\d+$/);
          }
        }
        for (const key of c.phoneKeys) {
          expect(seen.get(key), `${key} on two contacts`).to.equal(undefined);
          seen.set(key, String(c._id));
        }
      }
    });

    it('uses the overseas country code for La Réunion', () => {
      const reunion = contacts.filter((c) => c.departement === '974');

      expect(reunion).to.not.be.empty;
      for (const c of reunion) for (const p of c.phones) expect(p.e164).to.match(/^\+262/);
    });

    it('copies département and région from the agency', () => {
      for (const c of contacts) {
        expect([c.departement, c.region]).to.deep.equal([agencyOf(c).departement, agencyOf(c).region]);
      }
    });

    it('only uses topic codes usual for the agency type', () => {
      for (const c of contacts) {
        const usual = listTopicsForAgencyType(agencyOf(c).typeCode).map((t) => t.code);
        expect(c.topics, agencyOf(c).name).to.not.be.empty;
        for (const topic of c.topics) {
          expect(isTopicCode(topic), topic).to.equal(true);
          expect(usual, `${topic} at ${agencyOf(c).name}`).to.include(topic);
        }
      }
    });

    it('has no free text that the confidentiality screening would block or even flag', () => {
      for (const c of contacts) {
        const fields = Object.fromEntries(FREE_TEXT_FIELDS.map((f) => [f, c[f] ?? undefined]));

        const result = screenText(fields, { allowWords: [agencyOf(c).name] });

        expect(result.blocked, JSON.stringify(fields)).to.deep.equal([]);
        expect(result.flagged, JSON.stringify(fields)).to.deep.equal([]);
      }
    });

    it('screens every template text too, so the synthetic set is clean as well', () => {
      for (const [type, roles] of Object.entries(ROLE_TEMPLATES)) {
        for (const role of roles) {
          const fn = typeof role.function === 'string' ? role.function : role.function?.join(' ');
          const result = screenText({ function: fn, service: role.service, tips: role.tips });

          expect(result.blocked, `${type}: ${role.service}`).to.deep.equal([]);
          expect(result.flagged, `${type}: ${role.service}`).to.deep.equal([]);
          for (const topic of role.topics) expect(listTopicsForAgencyType(type).map((t) => t.code), `${type} ${topic}`).to.include(topic);
        }
      }
    });

    it('names agents with an agentKey and keeps service lines anonymous', () => {
      for (const c of contacts) {
        if (c.kind === 'agent') {
          expect(c.agentKey).to.equal(foldKey(`${c.agentFirstName} ${c.agentLastName}`));
          expect(c.function).to.be.a('string');
          expect(c.email).to.match(/@[a-z0-9-]+\.demo\.test$/);
          expect(c.verified?.agent?.at).to.be.instanceOf(Date);
        } else {
          expect(c.agentFirstName ?? c.agentLastName ?? c.agentKey).to.equal(undefined);
        }
      }
    });

    it('spreads verification dates over the last 18 months, stale entries beyond 12', async () => {
      const now = Date.now();
      const reported = new Set((await Report.find({}, { contactId: 1 }).lean()).map((r) => String(r.contactId)));
      const ages = contacts.map((c) => (now - c.lastVerifiedAt!.getTime()) / DAY);

      expect(Math.max(...ages)).to.be.within(365, 548);
      expect(Math.min(...ages)).to.be.below(30);
      for (const c of contacts) {
        const age = (now - c.lastVerifiedAt!.getTime()) / DAY;
        if (c.state === 'needs_check') expect(age).to.be.above(365);
        if (c.state === 'published') expect(age).to.be.at.most(365);
        const dates = Object.values(c.verified ?? {}).filter(Boolean).map((v) => (v as { at: Date }).at.getTime());
        expect(c.lastVerifiedAt!.getTime()).to.equal(Math.min(c.verified!.phone!.at.getTime(), c.verified?.agent?.at.getTime() ?? Infinity));
        for (const at of dates) expect(at).to.be.at.least(c.createdAt.getTime()).and.at.most(now);
        // A demo report (seeds/queue.ts) recomputes its card's scores; the others are as inserted.
        if (!reported.has(String(c._id))) expect([c.revision, c.indexedRevision, c.rankScore]).to.deep.equal([1, 0, 0]);
      }
    });

    it('mixes states: mostly published, some to check, one restricted, proposals of the demo member to moderate', async () => {
      const member = await Member.findOne({ email: 'membre@demo.test' }).lean();
      const byState = (s: string) => contacts.filter((c) => c.state === s);

      expect(byState('published').length).to.be.above(contacts.length * 0.9);
      expect(byState('needs_check').length).to.be.within(3, 10);
      expect(byState('restricted')).to.have.length(1);
      expect(byState('pending').length).to.be.within(2, 4);
      for (const c of byState('pending')) {
        expect(c.createdBy?.equals(member!._id)).to.equal(true);
        expect(c.publishedAt).to.equal(undefined);
      }
      expect(new Set(byState('pending').map((c) => c.region))).to.include.members(['52', '11']);
    });

    it('holds the contacts the search acceptance criteria look for', () => {
      const visible = contacts.filter((c) => c.state === 'published');
      const at = (name: string) => visible.filter((c) => agencyOf(c).name === name);

      expect(at('CPAM de Loire-Atlantique').length).to.be.at.least(1);
      expect(agencies.find((a) => a.name === 'CPAM de Loire-Atlantique')).to.include({ commune: 'Nantes', departement: '44' });
      expect(at('CAF de Loire-Atlantique').some((c) => c.topics.includes('RSA'))).to.equal(true);
      const franceTravail = visible.filter((c) => agencyOf(c).typeCode === 'FRANCE_TRAVAIL');
      expect(franceTravail.some((c) => /P[ôo]le emploi/i.test(`${c.service} ${c.tips}`))).to.equal(true);
      const mda = visible.filter((c) => /\bMDA\b/.test(agencyOf(c).name));
      expect(mda.length).to.be.at.least(1);
      expect(agencyOf(mda[0]!).typeCode).to.equal('MDPH');
    });
  });

  describe('npm run seed', () => {
    it('refuses a --contacts value that is not an integer from 1 to 1 000 000, with a French usage line', async function () {
      this.timeout(30_000);

      for (const value of ['0', 'beaucoup', '1000001', '2.5']) {
        const { code, out } = await runSeed(['--contacts', value]);

        expect(code, value).to.equal(2);
        expect(out).to.include('--contacts attend un nombre entier entre 1 et 1 000 000');
        expect(out).to.include('Usage : npm run seed');
      }
    });

    it('refuses to run in production', async function () {
      this.timeout(30_000);

      const { code, out } = await runSeed([], {
        NODE_ENV: 'production',
        MONGODB_URL: 'mongodb://127.0.0.1:1/none',
        MEILI_URL: 'http://127.0.0.1:1',
        MEILI_MASTER_KEY: 'une-clef-de-test-assez-longue',
        SESSION_SECRET: 'x'.repeat(40),
        SMTP_URL: 'smtp://127.0.0.1:1',
        BASE_URL: 'https://ligne-directe.example',
      });

      expect(code, out).to.equal(1);
      expect(out).to.include('interdit en production');
    });
  });
});
