/**
 * Database leases so that a job runs on one app instance at a time, and so
 * that a daily job knows when it last ran. No transactions needed: the lease
 * is taken by a conditional update (or the insert of its document).
 */
import { randomUUID } from 'node:crypto';
import { model, Schema } from 'mongoose';
import { isDuplicateKey } from '../core/db';

const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String },
    until: { type: Date, required: true },
    lastRunAt: { type: Date },
  },
  { collection: 'job_leases', versionKey: false },
);
export const JobLease = model('JobLease', leaseSchema);

const instance = randomUUID();

/** Takes the lease for `ms`; returns a release function, or undefined when another instance holds it. */
export async function acquireLease(name: string, ms: number, now = new Date()): Promise<(() => Promise<void>) | undefined> {
  const until = new Date(now.getTime() + ms);
  const owner = `${instance}:${randomUUID()}`;
  try {
    await JobLease.create({ _id: name, owner, until });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const taken = await JobLease.findOneAndUpdate({ _id: name, until: { $lt: now } }, { $set: { owner, until } }, { returnDocument: 'after' }).lean();
    if (!taken || taken.owner !== owner) return undefined;
  }
  return async () => {
    await JobLease.updateOne({ _id: name, owner }, { $set: { until: new Date(0), lastRunAt: new Date() } });
  };
}

/** When the job last finished, if ever. */
export async function lastRun(name: string): Promise<Date | undefined> {
  return (await JobLease.findById(name).lean())?.lastRunAt ?? undefined;
}
