import { expect } from 'chai';
import { sharedCount } from '../../src/core/shared-count';

interface Figure {
  at: Date;
  n: number;
}

/** A count whose runs the test resolves by hand. */
function controlledCount() {
  const runs: Array<{ resolve: (v: Figure) => void; reject: (e: Error) => void }> = [];
  const count = () =>
    new Promise<Figure>((resolve, reject) => {
      runs.push({ resolve, reject });
    });
  return { count, runs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('core/shared-count', () => {
  it('counts once for concurrent callers and serves the figure until it is older than the TTL', async () => {
    let calls = 0;
    const shared = sharedCount('t', 60_000, () => Promise.resolve({ at: new Date(), n: ++calls }));
    const [a, b] = await Promise.all([shared.get(), shared.get()]);
    expect(a?.n).to.equal(1);
    expect(b?.n).to.equal(1);
    expect((await shared.get())?.n).to.equal(1);
    expect(calls).to.equal(1);
  });

  it('serves an expired figure while a fresh count runs, then the fresh one', async () => {
    const { count, runs } = controlledCount();
    const shared = sharedCount('t', 1000, count);
    const first = shared.get();
    runs[0].resolve({ at: new Date(Date.now() - 5000), n: 1 }); // already older than the TTL
    expect((await first)?.n).to.equal(1);

    expect((await shared.get())?.n).to.equal(1); // stale, served at once
    expect(runs).to.have.length(2); // but a recount started
    expect((await shared.get())?.n).to.equal(1);
    expect(runs).to.have.length(2); // only one recount at a time
    runs[1].resolve({ at: new Date(), n: 2 });
    await tick();
    expect((await shared.get())?.n).to.equal(2);
    expect(runs).to.have.length(2);
  });

  it('waits at most waitMs for a first count, and the next call gets it', async () => {
    const { count, runs } = controlledCount();
    const shared = sharedCount('t', 60_000, count);
    const started = Date.now();
    expect(await shared.get(30)).to.equal(undefined);
    expect(Date.now() - started).to.be.lessThan(1000);
    runs[0].resolve({ at: new Date(), n: 7 });
    await tick();
    expect((await shared.get(30))?.n).to.equal(7);
    expect(runs).to.have.length(1);
  });

  it('reports a failed count to onError and counts again on the next call', async () => {
    const errors: Array<[string, string]> = [];
    let calls = 0;
    const shared = sharedCount(
      'coverage',
      60_000,
      () => (++calls === 1 ? Promise.reject(new Error('engine away')) : Promise.resolve({ at: new Date(), n: calls })),
      (err, name) => errors.push([name, (err as Error).message]),
    );
    let thrown: unknown;
    await shared.get().catch((err: unknown) => (thrown = err));
    expect((thrown as Error).message).to.equal('engine away');
    await tick();
    expect(errors).to.deep.equal([['coverage', 'engine away']]);
    expect((await shared.get())?.n).to.equal(2);
  });

  it('forgets the figure on clear(), and does not keep a count started before it', async () => {
    const { count, runs } = controlledCount();
    const shared = sharedCount('t', 60_000, count);
    const before = shared.get();
    shared.clear();
    runs[0].resolve({ at: new Date(), n: 1 });
    expect((await before)?.n).to.equal(1); // its own caller still gets it
    const after = shared.get();
    expect(runs).to.have.length(2); // not cached: counted again
    runs[1].resolve({ at: new Date(), n: 2 });
    expect((await after)?.n).to.equal(2);
    shared.clear();
    const again = shared.get();
    expect(runs).to.have.length(3);
    runs[2].resolve({ at: new Date(), n: 3 });
    expect((await again)?.n).to.equal(3);
  });
});
