/**
 * The secret that signs session cookies and keys the IP hashes. Production
 * takes it from SESSION_SECRET; development keeps a generated one under
 * DATA_DIR (mode 0600) so sessions survive restarts; tests use a random one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../config';

let cached: string | undefined;

export function appSecret(): string {
  if (cached) return cached;
  if (config.session.secret) cached = config.session.secret;
  else if (config.isTest) cached = randomBytes(48).toString('base64url');
  else {
    const file = join(config.paths.data, 'session-secret');
    if (!existsSync(file)) {
      mkdirSync(config.paths.data, { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    }
    cached = readFileSync(file, 'utf8').trim();
  }
  return cached;
}

/** Keyed hash (HMAC-SHA256, hex): pseudonymises IPs and identifiers in logs and lists. */
export function keyedHash(value: string): string {
  return createHmac('sha256', appSecret()).update(value).digest('hex');
}
