#!/usr/bin/env node
/**
 * npm run build: bundles the server and the command-line tools into plain
 * JavaScript under dist/ (esbuild, ESM, Node 20.19+). Packages stay external:
 * production installs them (npm ci --omit=dev); only the project's own code
 * is bundled. Code split: what is imported dynamically (the development
 * services, the mail catcher) lives in its own chunks and is loaded only when
 * used. dist/build-info.json lists the source files of the build so that
 * tools/run-built.mjs can tell, with a few stat() calls, whether it is stale.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ENTRIES, OUT_DIR, BUILD_INFO } from './entries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds into `outDir` (default dist/) and returns the build information written beside it. */
export async function build(outDir = join(root, OUT_DIR)) {
  const startedAt = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, file])),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    // Bundled modules keep their own import.meta.url; none of them uses __dirname.
    banner: { js: '// Built by tools/build.mjs from the TypeScript sources: do not edit.' },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  const info = {
    // Taken before the build, so a file saved while it ran makes the next start rebuild.
    builtAt: startedAt,
    node: process.version,
    entries: ENTRIES,
    inputs: [...inputs, 'tools/build.mjs', 'tools/entries.mjs'].sort(),
  };
  writeFileSync(join(outDir, BUILD_INFO), `${JSON.stringify(info, null, 2)}\n`);
  writeFileSync(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  return { info, outDir: relative(root, outDir) || '.' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const { info, outDir } = await build();
  process.stderr.write(
    `build: ${Object.keys(info.entries).length} entry points, ${info.inputs.length} source files → ${outDir}/ in ${Date.now() - started} ms\n`,
  );
}
