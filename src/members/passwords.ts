/**
 * Password hashing (argon2id) and the password rule of current guidance
 * (ANSSI, NIST SP 800-63B): at least 12 characters, not a common or easily
 * guessed password, no composition rules.
 */
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id (a const enum the module syntax cannot import).
const ARGON2ID = 2;
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
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
