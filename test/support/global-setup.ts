/**
 * Runs once in Mocha's main process, before the workers start any file
 * (.mocharc.cjs). The browser tests' screenshots are of this run only: a stale
 * one (an old failure) would mislead the review, and with two workers no file
 * may clear the folder the other is writing into.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function mochaGlobalSetup(): void {
  const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
  rmSync(`${artifacts}screenshots`, { recursive: true, force: true });
  rmSync(`${artifacts}axe-report.json`, { force: true });
}
