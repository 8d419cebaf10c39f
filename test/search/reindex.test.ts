import { expect } from 'chai';
import { indexUid, meili, rawSearch } from '../../src/search/meili-client';
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
          totals.push((await rawSearch<{ estimatedTotalHits: number }>('contacts', { q: 'caf', limit: 1 })).estimatedTotalHits);
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
