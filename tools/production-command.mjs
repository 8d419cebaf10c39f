/**
 * The command production runs: the Dockerfile's exec-form CMD, e.g.
 * ["node", "--heap-growing-percent=40", "--max-semi-space-size=8", "dist/server.js"].
 * One source for the image, the benchmark (which measures the app started this
 * way) and the test that checks the CMD runs built JavaScript. The image's
 * allocator settings (its `ENV GLIBC_TUNABLES=…` line) are read here too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Dockerfile's CMD as an argument list.
 * @param {string} root the project's folder
 * @returns {string[]}
 */
export function productionCommand(root) {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!cmd) throw new Error('no exec-form CMD in the Dockerfile');
  return JSON.parse(cmd[1]);
}

/**
 * The node options of that command (what comes between `node` and the script).
 * @param {string} root the project's folder
 * @returns {string[]}
 */
export function productionNodeFlags(root) {
  const [, ...args] = productionCommand(root);
  return args.filter((a) => a.startsWith('--'));
}

/**
 * The C allocator settings the image runs with (docs/benchmarks.md, « Memory »):
 * its `ENV GLIBC_TUNABLES=…` line as an environment, empty when there is none.
 * @param {string} root the project's folder
 * @returns {Record<string, string>}
 */
export function productionAllocatorEnv(root) {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const line = /^ENV\s+GLIBC_TUNABLES=(\S+)\s*$/m.exec(dockerfile);
  return line ? { GLIBC_TUNABLES: line[1] } : {};
}
