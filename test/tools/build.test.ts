import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../tools/build.mjs';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

/** The packages an output loads before its first line runs: its static imports, followed through the chunks. */
function loadedAtStart(meta: Metafile, entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else visit(i.path);
    }
  };
  visit(entry);
  return packages;
}

describe('tools/build', function () {
  this.timeout(60_000);
  let out: string;
  let meta: Metafile;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'ligne-directe-build-'));
    await build(out);
    meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as Metafile;
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it('keeps what most requests never need out of the server’s start (loaded on first use)', () => {
    const entry = Object.keys(meta.outputs).find((f) => f.endsWith('/server.js'))!;
    const atStart = loadedAtStart(meta, entry);

    expect(atStart, 'the check follows the static imports').to.include('express');
    // Mail (first message), spreadsheets (first .xlsx), password strength (first new password),
    // and the development-only mail catcher: docs/benchmarks.md « Memory ».
    for (const lazy of ['nodemailer', 'exceljs', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-fr', 'smtp-server', 'mailparser']) {
      expect(atStart, lazy).to.not.include(lazy);
    }
    // The search pool comes from undici's own modules (src/search/undici-pool.ts), not from its index.
    expect(atStart).to.not.include('undici');
  });
});
