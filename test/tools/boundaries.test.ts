/**
 * The boundaries the linter keeps (eslint.config.js, README « Architecture »):
 * the rule rejects a runtime import of another feature's model and accepts a
 * type-only one or a public file; every folder of src/ sits on a floor; and the
 * folder-level import graph of src/ has exactly the cycles the README names.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { BOUNDARY_FOLDERS } from '../../eslint.config.js';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

describe('boundaries (eslint.config.js)', () => {
  // Only the boundary rule, without type information: a virtual file needs no project.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
  });
  const errorsOf = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
    return result.messages.map((m) => m.message);
  };

  it('rejects a runtime import of another feature’s model, and the re-export of one', async () => {
    expect(await errorsOf(`import { Contact } from '../contacts/contact.model';\n`, 'src/search/x.ts')).to.have.length(1);
    expect(await errorsOf(`export { Contact } from '../contacts/contact.model';\n`, 'src/search/x.ts')).to.have.length(1);
    expect(await errorsOf(`import { Member } from '../members/member.model';\n`, 'src/jobs/x.ts')).to.have.length(1);
    // Lower floors keep their models private too.
    expect(await errorsOf(`import { QueueItem } from '../inbox/queue-item.model';\n`, 'src/moderation/x.ts')).to.have.length(1);
  });

  it('accepts type-only imports of a model, and public files', async () => {
    expect(await errorsOf(`import type { ContactDoc } from '../contacts/contact.model';\n`, 'src/search/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { type ContactDoc } from '../contacts/contact.model';\n`, 'src/search/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { findContact } from '../contacts/contact-store';\n`, 'src/search/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { findMember } from '../members/members.service';\n`, 'src/search/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { PHONE_KINDS } from '../contacts/contacts.types';\n`, 'src/search/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { Contact } from './contact.model';\n`, 'src/contacts/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { enqueue } from '../inbox/queue';\n`, 'src/signals/x.ts')).to.deep.equal([]);
  });

  it('rejects another feature’s private files, and lower floors reaching up', async () => {
    expect(await errorsOf(`import { syncNow } from '../search/indexer';\n`, 'src/contacts/x.ts')).to.have.length(1);
    expect(await errorsOf(`import { findMember } from '../members/members.service';\n`, 'src/security/x.ts')).to.have.length(1);
    expect(await errorsOf(`import { enqueue } from '../inbox/queue';\n`, 'src/audit/x.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { recordEvent } from '../audit/audit';\n`, 'src/core/x.ts')).to.have.length(1);
    expect(await errorsOf(`import { logger } from '../logger';\n`, 'src/core/embedded/x.ts')).to.deep.equal([]);
  });

  it('lets the composition roots import anything', async () => {
    expect(await errorsOf(`import { Contact } from './contacts/contact.model';\n`, 'src/server.ts')).to.deep.equal([]);
    expect(await errorsOf(`import { Contact } from '../contacts/contact.model';\n`, 'src/search/reindex.cli.ts')).to.deep.equal([]);
  });

  it('puts every folder of src/ on exactly one floor', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const listed = [...BOUNDARY_FOLDERS.lowerFloors, ...BOUNDARY_FOLDERS.features].sort();
    expect(listed).to.deep.equal(folders);
  });
});

/** Runtime imports (type-only ones are erased at build) of one file: static, re-exports and dynamic import(). */
function runtimeImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named?.length && named.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(n.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      if (!n.isTypeOnly) out.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The folder-level graph of src/: an edge a → b when a file of a imports one of b at runtime (composition roots left out). */
export function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const folderOf = (path: string) => relative(src, path).split('/')[0];
  for (const file of sourceFiles(src)) {
    const rel = relative(src, file);
    if (!rel.includes('/') || rel.endsWith('.cli.ts')) continue;
    const from = folderOf(file);
    for (const spec of runtimeImports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (relative(src, target).startsWith('..')) continue;
      const to = folderOf(target);
      if (to === from || !relative(src, target).includes('/')) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Strongly connected components of more than one folder (Tarjan), each sorted, sorted by their first folder. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The folder cycles README « Architecture » names and justifies. Shrink it; never grow it without the README. */
const KNOWN_CYCLE_PAIRS = [
  // The search sync seam: writes mark the outbox, the worker reads what they marked.
  'agencies ↔ search',
  'contacts ↔ search',
  // Pages composed of several features: a card shows its signals and whether it is in « Mes contacts »,
  // a search result its calls and list button, an agency page its contacts; the other way, signals write
  // a card's lists through contact-store, my-contacts reads cards, contacts create agencies.
  'agencies ↔ contacts',
  'contacts ↔ my-contacts',
  'contacts ↔ signals',
  'my-contacts ↔ search',
  'search ↔ signals',
  // The listed agent: their page corrects the card, the add form shows their information text; an objection
  // is decided by moderation, and a decision informs the agent.
  'agents ↔ contacts',
  'agents ↔ moderation',
].sort();
const KNOWN_CYCLES = [['agencies', 'agents', 'contacts', 'members', 'moderation', 'my-contacts', 'search', 'signals']];

describe('folder cycles of src/', () => {
  const graph = folderGraph();

  it('leaves the lower floors out of every cycle: they import only core and each other', () => {
    const lower = new Set(BOUNDARY_FOLDERS.lowerFloors);
    for (const folder of lower) {
      const up = [...(graph.get(folder) ?? [])].filter((to) => !lower.has(to));
      expect(up, `${folder} imports`).to.deep.equal([]);
    }
    expect([...(graph.get('core') ?? [])], 'core imports').to.deep.equal([]);
  });

  it('has exactly the two-folder cycles the README names', () => {
    const pairs = [...graph].flatMap(([a, to]) => [...to].filter((b) => a < b && graph.get(b)?.has(a)).map((b) => `${a} ↔ ${b}`)).sort();
    expect(pairs).to.deep.equal(KNOWN_CYCLE_PAIRS);
  });

  it('has exactly the cycles (strongly connected folders) the README names', () => {
    expect(cycles(graph)).to.deep.equal(KNOWN_CYCLES);
  });
});
