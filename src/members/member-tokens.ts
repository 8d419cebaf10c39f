/** Single-use e-mailed tokens: random, stored hashed, consumed atomically. */
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { MemberToken, type TokenPurpose } from './member-token.model';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600 * 1000,
  reset_password: 3600 * 1000,
};

/**
 * Creates a token. A verification link replaces the earlier ones; reset links
 * all stay valid until used or expired, so that someone asking resets for
 * another person's address never spoils the link that person just received
 * (using one revokes the others). Returns the clear token (for the mail only).
 */
export async function issueToken(memberId: Types.ObjectId | string, purpose: TokenPurpose, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  if (purpose !== 'reset_password') await MemberToken.deleteMany({ memberId, purpose });
  await MemberToken.create({ memberId, purpose, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]) });
  return token;
}

/** Deletes every token of `purpose` of the member (after a reset, the other links). */
export async function revokeTokens(memberId: Types.ObjectId | string, purpose: TokenPurpose): Promise<void> {
  await MemberToken.deleteMany({ memberId, purpose });
}

/** Deletes the token and returns its member id when it was valid and unexpired; undefined otherwise. */
export async function consumeToken(token: string, purpose: TokenPurpose, now = new Date()): Promise<Types.ObjectId | undefined> {
  const doc = await MemberToken.findOneAndDelete({ tokenHash: sha256(token), purpose }).lean();
  if (!doc || doc.expiresAt <= now) return undefined;
  return doc.memberId;
}

/** Checks a token without consuming it (to show the reset form). */
export async function peekToken(token: string, purpose: TokenPurpose, now = new Date()): Promise<boolean> {
  const doc = await MemberToken.findOne({ tokenHash: sha256(token), purpose }).lean();
  return !!doc && doc.expiresAt > now;
}

export async function purgeExpiredTokens(now = new Date()): Promise<number> {
  const res = await MemberToken.deleteMany({ expiresAt: { $lt: now } });
  return res.deletedCount;
}
