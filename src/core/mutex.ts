/**
 * Short mutual exclusion by name, across app instances, without transactions:
 * a lock is the insert of a document whose `_id` is its name (the unique `_id`
 * decides between two takers), overtaken only once its holder's deadline has
 * passed (a crashed holder), deleted on release. Every read and write is by
 * `_id`. Used where two requests at once would both pass a check, e.g. two
 * members adding the same number (docs/contact-lifecycle.md, « Doublons »).
 */
import { randomUUID } from 'node:crypto';
import { model, Schema } from 'mongoose';
import { isDuplicateKey } from './db';

const lockSchema = new Schema({ _id: { type: String, required: true }, owner: String, until: Date }, { collection: 'locks', versionKey: false });
const Lock = model('Lock', lockSchema);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tryTake(name: string, owner: string, holdMs: number): Promise<boolean> {
  const now = new Date();
  const until = new Date(now.getTime() + holdMs);
  try {
    await Lock.create({ _id: name, owner, until });
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const res = await Lock.updateOne({ _id: name, until: { $lt: now } }, { $set: { owner, until } });
    return res.modifiedCount === 1;
  }
}

export class LockBusy extends Error {
  constructor(readonly lock: string) {
    super(`lock busy: ${lock}`);
    this.name = 'LockBusy';
  }
}

/**
 * Runs `fn` holding every lock of `names` (taken in sorted order, so two callers never wait on
 * each other crosswise). Waits up to `waitMs` for a lock held by another caller, then throws
 * LockBusy; `holdMs` bounds how long a crashed holder can block the others.
 */
export async function withLocks<T>(names: string[], fn: () => Promise<T>, { waitMs = 3000, holdMs = 15_000 } = {}): Promise<T> {
  const owner = randomUUID();
  const taken: string[] = [];
  const release = () => Promise.all(taken.map((name) => Lock.deleteOne({ _id: name, owner }).catch(() => undefined)));
  try {
    for (const name of [...new Set(names)].sort()) {
      const deadline = Date.now() + waitMs;
      while (!(await tryTake(name, owner, holdMs))) {
        if (Date.now() > deadline) throw new LockBusy(name);
        await sleep(25 + Math.random() * 50);
      }
      taken.push(name);
    }
    return await fn();
  } finally {
    await release();
  }
}
