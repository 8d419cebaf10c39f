/**
 * What every compare-and-set of the app stands on (docs/data-access.md): on the
 * database the tests run, a conditional single-document write sent by many
 * clients at once matches exactly once, and concurrent increments add up.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';

describe('core: conditional writes are atomic on the database', () => {
  it('matches a condition once among 8 concurrent findOneAndUpdate and updateOne, and loses no $inc', async () => {
    const col = mongoose.connection.collection('cas_probe');
    const failures: string[] = [];
    for (let run = 0; run < 20; run++) {
      const { insertedId } = await col.insertOne({ revision: 1, hits: 0 });
      const found = await Promise.all(Array.from({ length: 8 }, (_, i) => col.findOneAndUpdate({ _id: insertedId, revision: 1 }, { $set: { by: i }, $inc: { revision: 1 } })));
      const updated = await Promise.all(Array.from({ length: 8 }, () => col.updateOne({ _id: insertedId, revision: 2 }, { $inc: { revision: 1 } })));
      await Promise.all(Array.from({ length: 8 }, () => col.updateOne({ _id: insertedId }, { $inc: { hits: 1 } })));
      const doc = (await col.findOne({ _id: insertedId }))!;
      const wins = [found.filter(Boolean).length, updated.filter((r) => r.modifiedCount === 1).length];
      if (wins[0] !== 1 || wins[1] !== 1 || doc.revision !== 3 || doc.hits !== 8) failures.push(`run ${run}: wins ${wins.join('+')}, revision ${doc.revision}, hits ${doc.hits}`);
    }
    expect(failures).to.deep.equal([]);
  });
});
