/** The queue's one open item per target under many writers at once (inbox/queue.ts enqueue). */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { enqueue } from '../../src/inbox/queue';
import { QueueItem } from '../../src/inbox/queue-item.model';

describe('inbox/queue enqueue', () => {
  it('keeps one open item per target and every reason when 12 writers add to it at the same moment, 5 rounds', async function () {
    this.timeout(60_000);
    for (let round = 0; round < 5; round++) {
      const target = new Types.ObjectId();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          enqueue({ type: 'account', targetType: 'rating', targetId: target, region: '52', reason: { code: 'account', label: `Récit ${i}` } }),
        ),
      );
      const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      expect(failures, `round ${round}`).to.deep.equal([]);
      const items = await QueueItem.find({ targetId: target, status: 'open' }).lean();
      expect(items, `round ${round}`).to.have.length(1);
      expect(items[0].reasons.map((r) => r.label).sort()).to.have.length(12);
    }
  });
});
