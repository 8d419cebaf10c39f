/** View models of the import pages (no documents reach the templates). */
import { agentInformationParagraphs } from '../agents/agents.service';
import type { AgencyDoc } from '../agencies/agency.model';
import { listAgencyTypeGroups } from '../reference/catalog';
import { groupDepartementsByRegion, type Departement } from '../reference/territories';
import { COLUMN_ROLES, ROLE_CODES } from './columns';
import type { ImportDraftDoc } from './import-draft.model';
import { type DryLine, type LineResult, type Outcome, OUTCOMES, progressOf } from './imports.service';
import { MAX_FILE_BYTES, MAX_LINES } from './spreadsheet';

export const uploadHelp = {
  maxSize: `${MAX_FILE_BYTES / 1024 / 1024} Mo`,
  maxLines: MAX_LINES.toLocaleString('fr-FR'),
  columns: Object.values(COLUMN_ROLES).slice(1).join(', '),
};

const OUTCOME_TONE: Record<Outcome, string> = {
  new: 'ok',
  created: 'ok',
  duplicate_card: 'info',
  duplicate_line: 'info',
  screen: 'error',
  no_number: 'warn',
  unknown_agency: 'warn',
  suppressed: 'error',
  invalid: 'warn',
  busy: 'warn',
};
const ORDER: Outcome[] = ['new', 'unknown_agency', 'duplicate_card', 'duplicate_line', 'screen', 'no_number', 'invalid', 'suppressed', 'busy', 'created'];

const columnLetter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`);

function counts(lines: Array<{ outcome: Outcome }>) {
  return ORDER.map((o) => ({ outcome: o, label: OUTCOMES[o], tone: OUTCOME_TONE[o], count: lines.filter((l) => l.outcome === o).length })).filter(
    (c) => c.count,
  );
}

function presentLine(l: DryLine) {
  return {
    ...l,
    outcomeLabel: OUTCOMES[l.outcome],
    tone: OUTCOME_TONE[l.outcome],
    duplicateOf: l.duplicateOf ? { ...l.duplicateOf, url: l.duplicateOf.visible ? `/contacts/${l.duplicateOf.id}` : undefined } : undefined,
  };
}

export function presentPreview(data: {
  draft: ImportDraftDoc;
  agencies: AgencyDoc[];
  unknownOrganismes: Array<{ key: string; name: string; lines: number }>;
  departement?: Departement;
}) {
  const { draft } = data;
  const dry = draft.dryRun as DryLine[];
  const columns = draft.headers.map((header, i) => {
    const samples = draft.rows
      .map((r) => r.cells[i])
      .filter(Boolean)
      .slice(0, 2);
    return {
      index: i,
      letter: columnLetter(i),
      header: header || `Colonne ${i + 1}`,
      samples: samples.join(' ; '),
      options: ROLE_CODES.map((code) => ({ code, label: COLUMN_ROLES[code], selected: draft.mapping[i] === code })),
    };
  });
  const typeGroups = listAgencyTypeGroups();
  const organismes = data.unknownOrganismes.slice(0, 80).map((u, i) => {
    const chosen = draft.agencyChoices.find((c) => c.key === u.key);
    return {
      index: i,
      key: u.key,
      name: u.name || 'Lignes sans organisme',
      lines: u.lines,
      canCreate: !!u.name,
      agencies: data.agencies.map((a) => ({ id: String(a._id), name: a.name, selected: chosen?.agencyId === String(a._id) })),
      typeGroups: typeGroups.map((g) => ({
        label: g.label,
        items: g.items.map((t) => ({ code: `new:${t.code}`, label: t.label, selected: chosen?.newType === t.code })),
      })),
    };
  });
  const accepted = dry.filter((l) => l.outcome === 'new').length;
  return {
    id: draft._id,
    version: draft.version,
    format: { 'csv-utf8': 'CSV (UTF-8)', 'csv-1252': 'CSV (Windows-1252)', xlsx: 'classeur Excel (.xlsx)' }[draft.format] ?? draft.format,
    lineCount: dry.length,
    columns,
    regions: groupDepartementsByRegion(),
    departement: draft.departement,
    departementName: data.departement?.name,
    agentInformed: draft.agentInformed ?? '',
    agentInformationText: agentInformationParagraphs(),
    organismes,
    hasAgencies: data.agencies.length > 0,
    counts: counts(dry),
    lines: dry.map(presentLine),
    accepted,
    flagged: dry.filter((l) => l.outcome === 'new' && l.flagged).length,
  };
}

export function presentProgress(draft: ImportDraftDoc) {
  const p = progressOf(draft);
  return { id: draft._id, ...p, percent: p.total ? Math.round((p.done / p.total) * 100) : 0 };
}

export function presentResult(draft: ImportDraftDoc) {
  const dry = draft.dryRun as DryLine[];
  const results = draft.results as Record<string, LineResult>;
  const lines = dry.map((l) => {
    const r = results[String(l.line)];
    if (!r) return presentLine(l);
    return presentLine({ ...l, outcome: r.outcome, messages: r.messages ?? [], duplicateOf: r.duplicateOf, ...(r.outcome === 'screen' ? { label: '' } : {}) });
  });
  const created = dry
    .map((l) => ({ l, r: results[String(l.line)] }))
    .filter(({ r }) => r?.outcome === 'created')
    .map(({ l, r }) => ({ line: l.line, label: l.label, url: `/contacts/${r.contactId}` }));
  return { id: draft._id, created, createdCount: created.length, counts: counts(lines), notImported: lines.filter((l) => l.outcome !== 'created') };
}
