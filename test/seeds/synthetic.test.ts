import { expect } from 'chai';
import { Agency, type AgencyDoc } from '../../src/agencies/agency.model';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { isFictionalNumber } from '../../src/contacts/phone';
import { foldKey } from '../../src/core/text';
import { getAgencyType, listTopicsForAgencyType } from '../../src/reference/catalog';
import { getDepartement, listDepartements } from '../../src/reference/territories';
import { seedDemoAgencies } from '../../seeds/agencies';
import { seedDemoContacts } from '../../seeds/contacts';
import { seedDemoMembers } from '../../seeds/members';
import {
  createPrng, planSyntheticAgencies, removeSyntheticData, seedSyntheticContacts, SYNTHETIC_KEY_PREFIX,
} from '../../seeds/synthetic';

const NOW = new Date('2026-06-01T10:00:00Z');
const quiet = () => undefined;

/** Everything but ids and the agency id, with the agency's name instead. */
async function snapshot(): Promise<string[]> {
  const agencies = new Map((await Agency.find().lean<AgencyDoc[]>()).map((a) => [String(a._id), a.name]));
  const contacts = await Contact.find({}, { _id: 0, __v: 0 }).lean<ContactDoc[]>();
  return contacts
    .map((c) => JSON.stringify({ ...c, agencyId: agencies.get(String(c.agencyId)) }))
    .sort();
}

const syntheticAgencies = () => Agency.find({ nameKey: { $regex: `^${SYNTHETIC_KEY_PREFIX}` } }).lean<AgencyDoc[]>();

describe('seeds/synthetic', () => {
  let demoContacts: number;

  before(async function () {
    this.timeout(60_000);
    await seedDemoMembers();
    await seedDemoAgencies();
    demoContacts = await seedDemoContacts();
  });

  describe('createPrng()', () => {
    it('repeats the same sequence for the same seed, within [0, 1)', () => {
      const a = createPrng(42);
      const b = createPrng(42);

      const first = Array.from({ length: 1000 }, a);

      expect(first).to.deep.equal(Array.from({ length: 1000 }, b));
      expect(Math.min(...first)).to.be.at.least(0);
      expect(Math.max(...first)).to.be.below(1);
    });
  });

  describe('planSyntheticAgencies()', () => {
    it('plans agencies of known types and levels in all 101 départements, each name once per département', () => {
      const plan = planSyntheticAgencies();

      expect(new Set(plan.map((a) => a.departement)).size).to.equal(listDepartements().length);
      expect(new Set(plan.slice(0, 101).map((a) => a.departement)).size).to.equal(101);
      const keys = plan.map((a) => `${foldKey(a.name)}|${a.departement}`);
      expect(new Set(keys).size).to.equal(keys.length);
      for (const a of plan) {
        expect(foldKey(a.name).startsWith(SYNTHETIC_KEY_PREFIX), a.name).to.equal(true);
        const type = getAgencyType(a.typeCode);
        if (type?.departements) expect(type.departements).to.include(a.departement);
        expect(a.postcode, a.name).to.match(/^\d{5}$/);
      }
    });
  });

  describe('seedSyntheticContacts()', () => {
    let first: string[];
    const lines: string[] = [];

    before(async function () {
      this.timeout(120_000);
      await seedSyntheticContacts(2000, quiet, { now: NOW });
      first = await snapshot();
      await seedSyntheticContacts(2000, (line) => lines.push(line), { now: NOW });
    });

    it('leaves exactly the requested number of synthetic contacts when it runs twice, and the demo data untouched', async () => {
      const ids = (await syntheticAgencies()).map((a) => a._id);

      expect(await Contact.countDocuments({ agencyId: { $in: ids } })).to.equal(2000);
      expect(await Contact.countDocuments()).to.equal(2000 + demoContacts);
    });

    it('leaves a set of the same size in place', async () => {
      expect(lines).to.deep.equal(['Synthétique : les 2 000 fiches sont déjà en place.']);
      expect(await snapshot()).to.deep.equal(first);
    });

    it('needs at least one agency per département', async () => {
      const agencies = await syntheticAgencies();

      expect(new Set(agencies.map((a) => a.departement)).size).to.equal(101);
    });

    it('builds valid contacts: fictional numbers, agency territory, usual topics', async () => {
      const agencies = new Map((await syntheticAgencies()).map((a) => [String(a._id), a]));
      const contacts = await Contact.find({ agencyId: { $in: [...agencies.values()].map((a) => a._id) } }).lean<ContactDoc[]>();

      for (const c of contacts) {
        const agency = agencies.get(String(c.agencyId))!;
        expect(await new Contact(c).validate()).to.equal(undefined);
        expect([c.departement, c.region]).to.deep.equal([agency.departement, getDepartement(agency.departement)!.regionCode]);
        for (const p of c.phones) expect(isFictionalNumber(p.e164), p.e164).to.equal(true);
        expect(c.phoneKeys).to.deep.equal([...new Set(c.phones.map((p) => p.e164))]);
        const usual = listTopicsForAgencyType(agency.typeCode).map((t) => t.code);
        for (const topic of c.topics) expect(usual).to.include(topic);
        if (c.kind === 'agent') expect(c.agentKey).to.equal(foldKey(`${c.agentFirstName} ${c.agentLastName}`));
      }
      expect(new Set(contacts.map((c) => c.state))).to.include.members(['published', 'needs_check']);
    });

    it('shares a number only as the agency switchboard with distinct extensions', async () => {
      const contacts = await Contact.find().lean<ContactDoc[]>();
      const byNumber = new Map<string, ContactDoc[]>();
      for (const c of contacts) for (const key of c.phoneKeys) byNumber.set(key, [...(byNumber.get(key) ?? []), c]);

      for (const [number, holders] of byNumber) {
        if (holders.length === 1) continue;
        const lines = holders.map((c) => c.phones.find((p) => p.e164 === number)!);
        expect(lines.every((p) => p.kind === 'switchboard'), number).to.equal(true);
        expect(new Set(holders.map((c) => String(c.agencyId))).size, number).to.equal(1);
        expect(new Set(lines.map((p) => p.extension)).size, number).to.equal(holders.length);
      }
    });

    it('rebuilds the same set when forced: the generator is deterministic', async function () {
      this.timeout(60_000);

      await seedSyntheticContacts(2000, quiet, { now: NOW, force: true });

      expect(await snapshot()).to.deep.equal(first);
    });

    it('replaces the set when the count changes', async function () {
      this.timeout(60_000);

      await seedSyntheticContacts(1500, quiet, { now: NOW });

      const ids = (await syntheticAgencies()).map((a) => a._id);
      expect(await Contact.countDocuments({ agencyId: { $in: ids } })).to.equal(1500);
      expect(await Contact.countDocuments()).to.equal(1500 + demoContacts);
    });

    it('removes the synthetic agencies and their contacts only', async function () {
      this.timeout(30_000);

      const removed = await removeSyntheticData();

      expect(removed).to.equal(1500);
      expect(await syntheticAgencies()).to.be.empty;
      expect(await Contact.countDocuments()).to.equal(demoContacts);
      expect(await Agency.countDocuments()).to.be.above(100);
    });
  });
});
