import { expect } from 'chai';
import { Contact } from '../../src/contacts/contact.model';
import { indexUid, meili, searchIndex } from '../../src/search/meili-client';
import { syncNow } from '../../src/search/indexer';
import { reindexAll } from '../../src/search/reindex';
import { buildAgency, buildContact } from '../support/factories';

describe('reindex', () => {
  describe('reindexAll()', () => {
    it('rebuilds the indexes from the database and swaps them in without search ever going empty', async function () {
      this.timeout(120_000);
      const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
      const contacts = [];
      for (let i = 0; i < 40; i++) contacts.push(await buildContact(agency, { service: `Service ${i}` }));
      await buildContact(agency, { service: 'Jamais indexé', state: 'pending' });
      await syncNow();
      const index = meili().index(indexUid('contacts'));
      await index.deleteDocument(String(contacts[0]._id)).waitTask();
      const totals: number[] = [];
      let searching = true;
      const probe = (async () => {
        while (searching) {
          totals.push((await searchIndex<{ estimatedTotalHits: number }>('contacts', { q: 'caf', limit: 1 })).estimatedTotalHits);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const progress: number[] = [];
      const result = await reindexAll((done) => progress.push(done));
      searching = false;
      await probe;

      expect(result).to.include({ contacts: 40, agencies: 1 });
      expect(progress.at(-1)).to.equal(40);
      expect(totals.length).to.be.greaterThan(0);
      expect(Math.min(...totals)).to.be.greaterThan(0);
      const stats = await index.getStats();
      expect(stats.numberOfDocuments).to.equal(40);
      expect((await index.getDocument(String(contacts[0]._id))).service).to.equal('Service 0');
      const uids = (await meili().getIndexes({ limit: 100 })).results.map((i) => i.uid);
      expect(uids.filter((u) => u.includes('_rebuild_'))).to.deep.equal([]);
    });
  });
});

describe('indexer', () => {
  describe('syncNow()', () => {
    it('pushes more than a hundred dirty contacts at once (FerretDB hangs on update commands of 100+ statements)', async function () {
      this.timeout(120_000);
      const agency = await buildAgency({ name: 'CCAS de Nantes', typeCode: 'CCAS' });
      const e164 = (i: number) => `+3326191${String(2000 + i).padStart(4, '0')}`;
      await Contact.insertMany(
        Array.from({ length: 160 }, (_v, i) => ({
          agencyId: agency._id, kind: 'service_line', service: `Permanence ${i}`, phones: [{ e164: e164(i), kind: 'service', numberType: 'fixed' }],
          phoneKeys: [e164(i)], topics: [], departement: '44', region: '52', state: 'published',
        })),
      );

      await syncNow();

      const stats = await meili().index(indexUid('contacts')).getStats();
      expect(stats.numberOfDocuments).to.equal(160);
      expect(await Contact.countDocuments({ searchDirty: true })).to.equal(0);
    });
  });
});
