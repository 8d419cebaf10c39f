#!/usr/bin/env node
/**
 * npm start, npm run seed, reindex, jobs, admin:create, backup, restore:
 *   node tools/run-built.mjs <entry> [arguments…]
 * runs dist/<entry>.js in this very process, building it first when it is
 * missing or older than one of its sources. The check reads
 * dist/build-info.json and stats the files it lists (a few milliseconds);
 * only a rebuild needs esbuild, a development dependency. An installation
 * without the sources (the Docker image) never rebuilds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_INFO, ENTRIES, OUT_DIR } from './entries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Why dist/ must be rebuilt, or undefined when it is current. */
export function staleReason(projectRoot = root) {
  const dist = join(projectRoot, OUT_DIR);
  let info;
  try {
    info = JSON.parse(readFileSync(join(dist, BUILD_INFO), 'utf8'));
  } catch {
    return 'no build yet';
  }
  for (const name of Object.keys(ENTRIES)) {
    if (!existsSync(join(dist, `${name}.js`))) return `dist/${name}.js is missing`;
  }
  // Without the sources there is nothing to rebuild from: run what was shipped.
  if (!existsSync(join(projectRoot, 'src'))) return undefined;
  for (const file of info.inputs ?? []) {
    let mtime;
    try {
      mtime = statSync(join(projectRoot, file)).mtimeMs;
    } catch {
      return `${file} was removed`;
    }
    if (mtime > info.builtAt) return `${file} changed`;
  }
  return undefined;
}

function rebuild(reason) {
  process.stderr.write(`Compilation de Ligne directe (${reason})…\n`);
  const build = spawnSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status === 0) return;
  if (build.error || !existsSync(join(root, 'node_modules', 'esbuild'))) {
    process.stderr.write('La compilation a besoin des dépendances de développement (esbuild) : lancez « npm install » puis « npm run build ».\n');
  }
  process.exit(1);
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!name || !(name in ENTRIES)) {
    process.stderr.write(`Usage : node tools/run-built.mjs <${Object.keys(ENTRIES).join('|')}> [arguments…]\n`);
    process.exit(2);
  }
  const reason = staleReason();
  if (reason) rebuild(reason);
  const entry = join(root, OUT_DIR, `${name}.js`);
  // The entry sees the command line it would see if started directly: node dist/<name>.js args…
  process.argv = [process.argv[0], entry, ...args];
  await import(pathToFileURL(entry).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
