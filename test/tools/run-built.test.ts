import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRIES } from '../../tools/entries.mjs';
import { staleReason } from '../../tools/run-built.mjs';

describe('run-built', () => {
  let root: string;
  const builtAt = Date.parse('2026-01-01T12:00:00Z');
  const touch = (file: string, at: number) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), at / 1000, at / 1000);
  };
  const writeBuild = (inputs: string[]) => {
    for (const name of Object.keys(ENTRIES)) touch(`dist/${name}.js`, builtAt);
    writeFileSync(join(root, 'dist', 'build-info.json'), JSON.stringify({ builtAt, inputs }));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ligne-directe-built-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('staleReason()', () => {
    it('asks for a build when there is none, or when an entry is missing', () => {
      const none = staleReason(root);
      writeBuild([]);
      rmSync(join(root, 'dist', 'server.js'));

      expect(none).to.equal('no build yet');
      expect(staleReason(root)).to.equal('dist/server.js is missing');
    });

    it('accepts a build newer than all its sources, and rejects it once one is saved again or removed', () => {
      touch('src/server.ts', builtAt - 60_000);
      touch('src/app.ts', builtAt - 60_000);
      writeBuild(['src/app.ts', 'src/server.ts']);
      const current = staleReason(root);

      touch('src/app.ts', builtAt + 1000);
      const changed = staleReason(root);
      rmSync(join(root, 'src', 'app.ts'));

      expect(current).to.equal(undefined);
      expect(changed).to.equal('src/app.ts changed');
      expect(staleReason(root)).to.equal('src/app.ts was removed');
    });

    it('runs the shipped build as it is where there are no sources (the Docker image)', () => {
      writeBuild(['src/app.ts', 'src/server.ts']);

      expect(staleReason(root)).to.equal(undefined);
    });
  });
});
