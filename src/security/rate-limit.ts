/**
 * Database-backed rate limits for sign-in, registration and password reset.
 * Keys are keyed hashes: the counters never hold an e-mail address or an IP.
 */
import mongoose from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { tooMany } from '../core/errors';
import { rateLimitHits } from '../core/metrics';
import { keyedHash } from '../core/secrets';
import { RateLimit } from './rate-limit.model';

interface LimitSpec {
  points: number;
  durationSeconds: number;
  message: string;
}

export const LIMITS = {
  signinAccount: { points: 10, durationSeconds: 15 * 60, message: 'Trop de tentatives de connexion. Pour protéger ce compte, attendez 15 minutes avant de réessayer, ou réinitialisez votre mot de passe.' },
  signinIp: { points: 10, durationSeconds: 15 * 60, message: 'Trop de tentatives de connexion depuis cette adresse. Attendez 15 minutes avant de réessayer.' },
  register: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes d’accès depuis cette adresse. Réessayez dans une heure.' },
  resetIp: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes de réinitialisation depuis cette adresse. Réessayez dans une heure.' },
  objectionIp: { points: 10, durationSeconds: 60 * 60, message: 'Trop de demandes depuis cette adresse. Réessayez dans une heure.' },
  resetAccount: { points: 3, durationSeconds: 60 * 60, message: 'Trop de demandes de réinitialisation pour ce compte. Réessayez dans une heure.' },
} satisfies Record<string, LimitSpec>;
export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiterMongo>();

function limiter(name: LimitName): RateLimiterMongo {
  let l = limiters.get(name);
  if (!l) {
    l = new RateLimiterMongo({
      storeClient: mongoose.connection,
      tableName: RateLimit.collection.collectionName,
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

/** Throws a French 429 when the key has used all its points. */
export async function assertNotLimited(name: LimitName, value: string): Promise<void> {
  const res = await limiter(name).get(keyFor(value));
  if (res && res.consumedPoints >= LIMITS[name].points) throw limited(name);
}

/** Counts one event (e.g. a failed sign-in) without throwing. */
export async function countAttempt(name: LimitName, value: string): Promise<void> {
  await limiter(name).penalty(keyFor(value), 1);
}

/** Counts one event and throws a French 429 when the limit is exceeded. */
export async function consume(name: LimitName, value: string): Promise<void> {
  try {
    await limiter(name).consume(keyFor(value), 1);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw limited(name);
    throw err;
  }
}

/** Forgets a key (e.g. the account's failures after a successful sign-in). */
export async function resetLimit(name: LimitName, value: string): Promise<void> {
  await limiter(name).delete(keyFor(value));
}

/** Deletes expired counters (FerretDB has no TTL index). */
export async function purgeExpiredLimits(now = new Date()): Promise<number> {
  const res = await RateLimit.deleteMany({ expire: { $lt: now } });
  return res.deletedCount;
}
