/**
 * Database-backed rate limits (rate-limiter-flexible) for sign-in,
 * registration, password reset and objections. Keys are keyed hashes: the
 * counters never hold an e-mail address or an IP. The store is
 * rate-limiter-flexible's Mongo limiter with its three storage calls keyed by
 * `_id` (its own filter on `key` would read the whole collection on FerretDB).
 */
import mongoose from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { tooMany } from '../core/errors';
import { rateLimitHits } from '../core/metrics';
import { keyedHash } from '../core/secrets';
import { RateCounter } from './rate-limit.model';
import { isDuplicateKey } from '../core/db';

interface LimitSpec {
  points: number;
  durationSeconds: number;
  message: string;
}

/** Figures and reasons: docs/resilience.md. */
export const LIMITS = {
  /** Failed sign-ins on one account from one IP: the usual brute-force lock, which cannot lock the owner out elsewhere. */
  signinAccountIp: { points: 10, durationSeconds: 15 * 60, message: 'Trop de tentatives de connexion sur ce compte depuis cet appareil. Pour le protéger, attendez 15 minutes avant de réessayer, ou réinitialisez votre mot de passe.' },
  /** Failed sign-ins from one IP, any account: high, since a whole CCAS may sit behind one address. */
  signinIp: { points: 100, durationSeconds: 60 * 60, message: 'Trop de tentatives de connexion depuis cette adresse. Attendez une heure avant de réessayer.' },
  /** Failed sign-ins on one account from anywhere: past `points`, every attempt waits a growing delay (see signInGate). */
  signinAccount: { points: 10, durationSeconds: 60 * 60, message: '' },
  /** One attempt per delay on an account under attack; the duration is set per attempt. */
  signinAccountGate: { points: 1, durationSeconds: 1, message: '' },
  register: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes d’accès depuis cette adresse. Réessayez dans une heure.' },
  resetIp: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes de réinitialisation depuis cette adresse. Réessayez dans une heure.' },
  /** Reset mails for one account asked from one IP; past it, nothing is sent (silently). */
  resetAccountIp: { points: 3, durationSeconds: 60 * 60, message: '' },
  /** Reset mails for one account from anywhere; past it, nothing is sent (silently): the links already sent stay valid. */
  resetAccount: { points: 10, durationSeconds: 60 * 60, message: '' },
  objectionIp: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes depuis cette adresse. Réessayez dans une heure.' },
  /** Agent links that open no card, from one IP: guessing a 256-bit link is hopeless, but each guess costs reads. */
  agentLinkIp: { points: 20, durationSeconds: 60 * 60, message: 'Trop de liens invalides depuis cette adresse. Réessayez dans une heure, ou utilisez le dernier lien reçu par e-mail.' },
} satisfies Record<string, LimitSpec>;
export type LimitName = keyof typeof LIMITS;

interface CounterDoc {
  _id: string;
  points: number;
  expire: Date | null;
}

/** rate-limiter-flexible's Mongo limiter, storing each key as the `_id` of its counter. */
class IdKeyedMongoLimiter extends RateLimiterMongo {
  /** The model's own collection (the connection keeps one per name), typed by its documents. */
  private coll() {
    return RateCounter.db.collection<CounterDoc>(RateCounter.collection.collectionName);
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<CounterDoc> {
    const now = new Date();
    const expire = msDuration > 0 ? new Date(now.getTime() + msDuration) : null;
    const after = { upsert: false, returnDocument: 'after' as const };
    if (forceExpire) {
      return (await this.coll().findOneAndUpdate({ _id: key }, { $set: { points, expire } }, { upsert: true, returnDocument: 'after' }))!;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const live = await this.coll().findOneAndUpdate({ _id: key, $or: [{ expire: { $gt: now } }, { expire: null }] }, { $inc: { points } }, after);
      if (live) return live;
      const renewed = await this.coll().findOneAndUpdate({ _id: key, expire: { $lte: now } }, { $set: { points, expire } }, after);
      if (renewed) return renewed;
      try {
        await this.coll().insertOne({ _id: key, points, expire });
        return { _id: key, points, expire };
      } catch (err) {
        // Another request created it first: increment that one.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error('rate limit counter kept changing');
  }

  async _get(key: string): Promise<CounterDoc | null> {
    const doc = await this.coll().findOne({ _id: key });
    if (!doc || (doc.expire && doc.expire.getTime() <= Date.now())) return null;
    return doc;
  }

  async _delete(key: string): Promise<boolean> {
    const res = await this.coll().deleteOne({ _id: key });
    return res.deletedCount > 0;
  }
}

const limiters = new Map<LimitName, IdKeyedMongoLimiter>();

function limiter(name: LimitName): IdKeyedMongoLimiter {
  let l = limiters.get(name);
  if (!l) {
    l = new IdKeyedMongoLimiter({
      storeClient: mongoose.connection,
      tableName: RateCounter.collection.collectionName,
      keyPrefix: name,
      points: LIMITS[name].points,
      duration: LIMITS[name].durationSeconds,
      disableIndexesCreation: true,
    });
    limiters.set(name, l);
  }
  return l;
}

/** The French 429 of `name`, counted in ld_rate_limit_hits_total. */
function limited(name: LimitName) {
  rateLimitHits.inc({ limit: name });
  return tooMany(LIMITS[name].message);
}

const keyFor = (value: string) => keyedHash(`rl:${value.toLowerCase()}`);

/** Points used by the key in its current window (0 when none). */
export async function usedPoints(name: LimitName, value: string): Promise<number> {
  return (await limiter(name).get(keyFor(value)))?.consumedPoints ?? 0;
}

/** True when the key has used all its points. */
export async function isLimited(name: LimitName, value: string): Promise<boolean> {
  return (await usedPoints(name, value)) >= LIMITS[name].points;
}

/** Throws a French 429 when the key has used all its points. */
export async function assertNotLimited(name: LimitName, value: string): Promise<void> {
  if (await isLimited(name, value)) throw limited(name);
}

/** Counts one event (e.g. a failed sign-in) without throwing; returns the points used so far. */
export async function countAttempt(name: LimitName, value: string): Promise<number> {
  return (await limiter(name).penalty(keyFor(value), 1)).consumedPoints;
}

/** Counts one event and throws a French 429 when the limit is exceeded. */
export async function consume(name: LimitName, value: string): Promise<void> {
  if (!(await tryConsume(name, value))) throw limited(name);
}

/** Counts one event; false (and nothing thrown) when the limit is exceeded. */
export async function tryConsume(name: LimitName, value: string): Promise<boolean> {
  try {
    await limiter(name).consume(keyFor(value), 1);
    return true;
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      rateLimitHits.inc({ limit: name });
      return false;
    }
    throw err;
  }
}

/**
 * Takes the key's single slot for `seconds`. Returns 0 when taken, otherwise
 * the milliseconds until the slot frees (the throttle of an account under attack).
 */
export async function takeSlot(name: LimitName, value: string, seconds: number): Promise<number> {
  try {
    await limiter(name).consume(keyFor(value), 1, { customDuration: seconds } as never);
    return 0;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(err.msBeforeNext, 1);
    throw err;
  }
}

/** Forgets a key (e.g. the account's failures from this IP after a successful sign-in). */
export async function resetLimit(name: LimitName, value: string): Promise<void> {
  await limiter(name).delete(keyFor(value));
}

/** Deletes expired counters (FerretDB has no TTL index). */
export async function purgeExpiredLimits(now = new Date()): Promise<number> {
  const res = await RateCounter.deleteMany({ expire: { $lt: now } });
  return res.deletedCount;
}
