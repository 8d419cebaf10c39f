/** Appends to the security log. Never throws: a logging failure must not block a sign-in. */
import type { Types } from 'mongoose';
import { keyedHash } from '../core/secrets';
import { logger } from '../core/logger';
import { SecurityEvent, type SecurityEventType } from './security-event.model';

const log = logger('security');
export const SECURITY_RETENTION_MS = 365 * 24 * 3600 * 1000;

export async function recordSecurityEvent(
  type: SecurityEventType,
  opts: { memberId?: Types.ObjectId | string; actorId?: Types.ObjectId | string; ip?: string; detail?: string } = {},
): Promise<void> {
  try {
    await SecurityEvent.create({
      type,
      memberId: opts.memberId,
      actorId: opts.actorId,
      ipHash: opts.ip ? keyedHash(`ip:${opts.ip}`) : undefined,
      detail: opts.detail,
    });
  } catch (err) {
    log.warn({ err, type }, 'security event not recorded');
  }
  log.info({ type, memberId: opts.memberId ? String(opts.memberId) : undefined }, 'security event');
}

/** Deletes events older than the 12-month retention. */
export async function purgeOldSecurityEvents(now = new Date()): Promise<number> {
  const res = await SecurityEvent.deleteMany({ at: { $lt: new Date(now.getTime() - SECURITY_RETENTION_MS) } });
  return res.deletedCount;
}
