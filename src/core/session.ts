/**
 * Sessions in the database (connect-mongo). FerretDB has no TTL index and
 * mishandles w:0 writes, so autoRemove is disabled and purgeExpiredSessions()
 * runs an acknowledged delete on a timer (docs/data-access.md « The database subset »).
 */
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import mongoose from 'mongoose';
import { config } from '../config';
import { appSecret } from './secrets';

export const SESSION_COLLECTION = 'sessions';
export const SESSION_COOKIE = 'ld.sid';
/** Sent at sign-out and account deletion: the browser forgets what the account saw. */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';
/** A session unused for this long expires (idle timeout). */
export const SESSION_IDLE_MS = 8 * 3600 * 1000;

/** The driver's client once Mongoose is connected (asPromise() may resolve before the first connection has a client). */
function connectedClient() {
  const conn = mongoose.connection;
  if (conn.readyState === mongoose.ConnectionStates.connected) return Promise.resolve(conn.getClient());
  return new Promise<ReturnType<typeof conn.getClient>>((resolve) => conn.once('connected', () => resolve(conn.getClient())));
}

export function sessionMiddleware(): RequestHandler {
  const store = MongoStore.create({
    clientPromise: connectedClient(),
    collectionName: SESSION_COLLECTION,
    autoRemove: 'disabled',
    ttl: SESSION_IDLE_MS / 1000,
    touchAfter: 5 * 60,
    stringify: false,
  });
  return session({
    name: SESSION_COOKIE,
    secret: appSecret(),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.http.trustProxy > 0,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: SESSION_IDLE_MS },
  });
}

function sessions() {
  return mongoose.connection.collection(SESSION_COLLECTION);
}

/** Deletes expired sessions (acknowledged write). */
export async function purgeExpiredSessions(now = new Date()): Promise<number> {
  const res = await sessions().deleteMany({ expires: { $lt: now } });
  return res.deletedCount;
}

/** Signs a member out everywhere, except the session `keepSessionId` when given. */
export async function destroySessionsOf(memberId: string, keepSessionId?: string): Promise<number> {
  const filter: Record<string, unknown> = { 'session.passport.user': memberId };
  if (keepSessionId) filter._id = { $ne: keepSessionId };
  const res = await sessions().deleteMany(filter);
  return res.deletedCount;
}
