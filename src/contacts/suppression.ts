/**
 * The suppression list: agents whose objection was upheld cannot be listed
 * again. Identifiers are stored as SHA-256 digests with a fixed domain prefix
 * (not the app secret, so the list survives a secret rotation).
 */
import { createHash } from 'node:crypto';
import { Suppression } from './suppression.model';
import { isDuplicateKey } from '../core/db';

export function suppressionHash(kind: 'phone' | 'email', value: string): string {
  return createHash('sha256').update(`ligne-directe/suppression/${kind}/${value.trim().toLowerCase()}`).digest('hex');
}

/** True when any of the numbers (E.164) or the e-mail(s) is on the list. */
export async function isSuppressed(phones: string[], email?: string | string[]): Promise<boolean> {
  const emails = (Array.isArray(email) ? email : [email]).filter((e): e is string => !!e);
  const hashes = [...phones.map((p) => suppressionHash('phone', p)), ...emails.map((e) => suppressionHash('email', e))];
  if (!hashes.length) return false;
  return (await Suppression.find({ _id: { $in: hashes } }).select({ _id: 1 }).lean()).length > 0;
}

/** Adds identifiers to the list (idempotent). */
export async function suppress(phones: string[], email: string | undefined, reason: string): Promise<void> {
  const entries = [...phones.map((p) => ({ kind: 'phone' as const, hash: suppressionHash('phone', p) })), ...(email ? [{ kind: 'email' as const, hash: suppressionHash('email', email) }] : [])];
  for (const e of entries) {
    await Suppression.updateOne({ _id: e.hash }, { $setOnInsert: { ...e, reason } }, { upsert: true }).catch((err) => {
      // Two upholds of the same identifier at once: the entry exists, which is all we want.
      if (!isDuplicateKey(err)) throw err;
    });
  }
}
