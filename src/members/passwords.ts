/**
 * Password hashing (argon2id) and the password rule of current guidance
 * (ANSSI, NIST SP 800-63B): at least 12 characters, not a common or easily
 * guessed password, no composition rules.
 */
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

// Algorithm.Argon2id (a const enum the module syntax cannot import).
const ARGON2ID = 2;
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/**
 * argon2id with 7 MiB and 5 passes, one of the equivalent settings of the
 * OWASP guidance (the library's default is 19 MiB and 2 passes): each hash
 * holds its memory for its whole run, so the smaller pool keeps a burst of
 * sign-ins from adding tens of megabytes to the server (docs/resilience.md,
 * « Password hashing »). A stored hash carries its own settings: older ones
 * still verify, and are rewritten with these at the next sign-in.
 */
export const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 7168, timeCost: 5, parallelism: 1 } as const;
const CURRENT_SETTINGS = `$argon2id$v=19$m=${HASH_OPTIONS.memoryCost},t=${HASH_OPTIONS.timeCost},p=${HASH_OPTIONS.parallelism}$`;

/**
 * At most two hashes at a time: the others wait their turn. Bounds the memory
 * a rush of sign-ins can take (2 × 7 MiB) and leaves libuv's other threads to
 * the file system and DNS look-ups the rest of the server needs.
 */
export const hashing = pLimit(2);

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, HASH_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other settings than today's (it is then rewritten at sign-in). */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith(CURRENT_SETTINGS);
}

// A fixed hash verified for unknown accounts so both answers take the same time.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('ligne-directe/unknown-account/timing');
  await verifyPassword(await dummyHash, password);
}

let checker: ZxcvbnFactory | undefined;
async function strengthChecker(): Promise<ZxcvbnFactory> {
  if (checker) return checker;
  const [{ ZxcvbnFactory }, common, fr] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
  ]);
  // The common-password list and French common words only: the full dictionaries cost ~40 MB.
  checker = new ZxcvbnFactory({
    translations: fr.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { 'passwords-common': common.dictionary['passwords-common'], 'commonWords-fr': fr.dictionary['commonWords-fr'] },
  });
  return checker;
}

/** Returns a French message when the password is not acceptable, otherwise undefined. */
export async function passwordProblem(password: string, personal: string[] = []): Promise<string | undefined> {
  if (password.length < PASSWORD_MIN) return `Le mot de passe doit compter au moins ${PASSWORD_MIN} caractères (une phrase de plusieurs mots convient très bien).`;
  if (password.length > PASSWORD_MAX) return `Le mot de passe doit compter au plus ${PASSWORD_MAX} caractères.`;
  const result = (await strengthChecker()).check(password, personal.filter(Boolean));
  if (result.score < 3) {
    const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : '';
    return `Ce mot de passe est trop courant ou trop facile à deviner${why}. Choisissez par exemple une phrase de plusieurs mots.`;
  }
  return undefined;
}
