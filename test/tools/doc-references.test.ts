import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Comments point at the project's own design notes (docs/README.md lists them): every
 * `docs/<page>.md` they cite must exist, and no file may name the design documents that
 * live outside the repository, which a newcomer does not have.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where code and its comments live. */
const CODE_DIRS = ['src', 'views', 'test', 'tools', 'bench', 'seeds', 'public'];
const TEXT_FILE = /\.(?:[cm]?[jt]s|hbs|css|json|md|go|mod|sh|ya?ml|patch|svg|txt)$/;

/** The outside documents' names, spelt in pieces so that this file does not name them itself. */
const OUTSIDE_NAMES = [
  ['moderation', 'design'],
  ['stack', 'notes'],
  ['house', 'style'],
  ['ui', 'notes'],
].map((parts) => parts.join('-'));
const OUTSIDE_FOLDER = ['shared', 'reference'].join('/');

/** `docs/<page>.md` cited in a text (not a path inside another folder or a URL). */
function docReferences(text: string): string[] {
  return [...text.matchAll(/(?<![\w./-])docs\/([a-z0-9-]+)\.md/g)].map((m) => `docs/${m[1]}.md`);
}

/** Source files (`src/…/x.ts`, `tools/x.mjs`…) cited in a text, e.g. by a design note. */
function sourceReferences(text: string): string[] {
  return [...text.matchAll(/(?<![\w./-])((?:src|test|tools|seeds|bench)\/[\w./-]+\.(?:ts|mjs|js|go))\b/g)].map((m) => m[1]);
}

/** Names of outside documents found in a text. */
function outsideNames(text: string): string[] {
  const lower = text.toLowerCase();
  return [...OUTSIDE_NAMES, OUTSIDE_FOLDER].filter((name) => lower.includes(name));
}

function* textFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* textFiles(path);
    else if (TEXT_FILE.test(entry.name) && statSync(path).size < 5_000_000) yield path;
  }
}

/** Problems in the given files: missing cited pages, outside names. */
function checkFiles(files: string[], root = ROOT): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    for (const ref of new Set(docReferences(text))) {
      if (!existsSync(join(root, ref))) problems.push(`${where}: cites ${ref}, which does not exist`);
    }
    for (const name of outsideNames(text)) problems.push(`${where}: names the outside document « ${name} »`);
  }
  return problems;
}

describe('doc references', () => {
  it('finds the docs/ pages a comment cites, and nothing that only looks like one', () => {
    const text = [
      '// see docs/data-access.md « The rule » and docs/trust.md',
      ' * (docs/contact-lifecycle.md: decisions)',
      '// tools/ferretdb-launcher/README.md, https://example.org/docs/page.md, mydocs/x.md, docs/sub/page.md',
    ].join('\n');
    expect(docReferences(text)).to.deep.equal(['docs/data-access.md', 'docs/trust.md', 'docs/contact-lifecycle.md']);
  });

  it('reports a cited page that does not exist and an outside document named in a file', () => {
    // Built in pieces, like the names above, so that the scan of this very file stays clean.
    const missing = ['docs', 'no-such-page.md'].join('/');
    const text = `// wrong: ${missing} and the ${OUTSIDE_NAMES[0]} note, ${OUTSIDE_NAMES[3]}`;
    expect(docReferences(text).filter((ref) => !existsSync(join(ROOT, ref)))).to.deep.equal([missing]);
    expect(outsideNames(text)).to.deep.equal([OUTSIDE_NAMES[0], OUTSIDE_NAMES[3]]);
    expect(outsideNames(`/work/${OUTSIDE_FOLDER}/x.md`)).to.deep.equal([OUTSIDE_FOLDER]);
    expect(checkFiles([fileURLToPath(import.meta.url)])).to.deep.equal([]);
  });

  it('every docs/ page cited in src, views, test, tools, bench, seeds and public exists, and none names an outside document', () => {
    const files = CODE_DIRS.flatMap((dir) => [...textFiles(join(ROOT, dir))]);
    expect(files.length).to.be.greaterThan(300);
    expect(checkFiles(files)).to.deep.equal([]);
  });

  it('the design notes and the README name no outside document either', () => {
    const files = [...textFiles(join(ROOT, 'docs')), join(ROOT, 'README.md')];
    expect(files.length).to.be.greaterThan(10);
    expect(checkFiles(files).filter((p) => p.includes('outside document'))).to.deep.equal([]);
  });

  it('every source file the design notes and the README cite exists (a moved file leaves no stale path)', () => {
    expect(sourceReferences('see `src/inbox/queue.ts` and src/core/session.ts, not xsrc/a.ts or https://h/src/b.ts')).to.deep.equal(['src/inbox/queue.ts', 'src/core/session.ts']);
    const files = [...textFiles(join(ROOT, 'docs')), join(ROOT, 'README.md')];
    const stale = files.flatMap((file) =>
      [...new Set(sourceReferences(readFileSync(file, 'utf8')))].filter((ref) => !existsSync(join(ROOT, ref))).map((ref) => `${relative(ROOT, file)}: ${ref}`),
    );
    expect(stale).to.deep.equal([]);
  });

  it('docs/README.md lists every page of docs/', () => {
    const index = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((page) => !index.includes(`(${page})`))).to.deep.equal([]);
  });
});
