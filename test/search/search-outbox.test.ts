import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { markedContacts, markForSearch, readOutbox } from '../../src/search/search-outbox';

describe('search/search-outbox', () => {
  const outbox = () => mongoose.connection.collection<{ _id: string; seq: number; at: Date }>('search_outbox');
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(() => outbox().deleteMany({}));

  describe('markedContacts()', () => {
    it('sees a mark this process writes at once, even right after a read of the outbox', async () => {
      const id = new Types.ObjectId();
      expect(await markedContacts([String(id)])).to.deep.equal(new Set());

      await markForSearch('c', [id]);

      expect(await markedContacts([String(id), String(new Types.ObjectId())])).to.deep.equal(new Set([String(id)]));
    });

    it('sees a mark written by another instance within a quarter of a second, and its removal too', async () => {
      const id = new Types.ObjectId();
      expect(await markedContacts([String(id)])).to.deep.equal(new Set());
      await outbox().insertOne({ _id: `c:${id}`, seq: 1, at: new Date() });
      await wait(300);
      const seen = await markedContacts([String(id)]);
      await outbox().deleteOne({ _id: `c:${id}` });
      await wait(300);

      expect(seen).to.deep.equal(new Set([String(id)]));
      expect(await markedContacts([String(id)])).to.deep.equal(new Set());
    });

    it('asks the outbox for the page’s own hits when the backlog is too large to copy', async () => {
      const now = new Date();
      await outbox().insertMany(Array.from({ length: 2001 }, () => ({ _id: `c:${new Types.ObjectId()}`, seq: 1, at: now })));
      const id = new Types.ObjectId();
      await markForSearch('c', [id]);

      expect(await markedContacts([String(id), String(new Types.ObjectId())])).to.deep.equal(new Set([String(id)]));
      expect(await readOutbox('c', [id])).to.have.lengthOf(1);
    });

    it('ignores an agency’s mark with the same id', async () => {
      const id = new Types.ObjectId();
      await markForSearch('a', [id]);

      expect(await markedContacts([String(id)])).to.deep.equal(new Set());
    });
  });
});
