/**
 * Runs once in Mocha's main process, before the workers start any file
 * (.mocharc.cjs): compiles the embedded FerretDB when `.cache/` has no binary
 * for the launcher's sources yet (once, rather than once per worker at the
 * same time), and clears the browser tests' pictures. They are of this run
 * only: a stale one (an old failure) would mislead the review, and with two
 * workers no file may clear the folder the other is writing into.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../../src/config';
import { ensureFerretBinary } from '../../src/core/embedded/ferretdb';

export async function mochaGlobalSetup(): Promise<void> {
  await ensureFerretBinary(config.paths.root, config.paths.cache, (line) => process.stderr.write(`[test services] ${line}\n`));
  const artifacts = join(config.paths.root, 'test-artifacts');
  rmSync(join(artifacts, 'screenshots'), { recursive: true, force: true });
  rmSync(join(artifacts, 'axe-report.json'), { force: true });
}
