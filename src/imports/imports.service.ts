/**
 * Spreadsheet imports (docs/import.md): a member sends a CSV or .xlsx file,
 * which is read in memory and screened cell by cell before anything is stored;
 * the screened lines wait in a short-lived draft of theirs while they map the
 * columns, choose the département and the organismes, and read a dry run;
 * confirming writes every accepted line through `proposeContact`, the add
 * form's own service, as one import batch that the région's moderators see.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadAgencyFor, listAgencies } from '../agencies/agencies.service';
import type { AgencyDoc } from '../agencies/agency.model';
import { checkProposals, findContactById, proposeContact } from '../contacts/contacts.service';
import { contactPolicy } from '../contacts/contacts.policy';
import { ProposeContactSchema, type ProposeContactInput } from '../contacts/contacts.schemas';
import { runInBackground } from '../core/background';
import { AppError, conflict, notFound } from '../core/errors';
import { logger } from '../core/logger';
import { type Actor, authorize } from '../core/policy';
import { stableId } from '../core/stable-id';
import { foldKey } from '../core/text';
import { isAgencyTypeCode } from '../reference/catalog';
import { getDepartement, isDepartementCode } from '../reference/territories';
import { recognisedOf, screenText } from '../screening/screening';
import { COLUMN_ROLES, type ColumnRole, guessMapping, ROLE_CODES } from './columns';
import { DRAFT_TTL_MS, ImportDraft, type ImportDraftDoc, parseDraft, type StoredDraft } from './import-draft.model';
import { readSpreadsheet } from './spreadsheet';

const log = logger('contacts');

export const IMPORT_MESSAGES = {
  notFound: 'Cet import n’existe pas ou plus (un import non confirmé est effacé après deux heures). Envoyez à nouveau votre fichier.',
  changed: 'Les réglages de cet import ont changé depuis que vous avez lu l’aperçu (dans un autre onglet ?) : relisez-le avant de confirmer.',
  notReady: 'Choisissez le département avant de confirmer.',
  nothing: 'Aucune ligne ne peut être importée avec ces réglages : corrigez-les ou le fichier.',
};

/** Outcomes of a line, in the dry run and after confirmation. */
export const OUTCOMES = {
  new: 'Nouvelle fiche',
  created: 'Fiche créée (en attente de vérification)',
  duplicate_card: 'Déjà dans l’annuaire',
  duplicate_line: 'En double dans le fichier',
  screen: 'Refusée : secret professionnel',
  no_number: 'Pas de numéro valide',
  unknown_agency: 'Organisme à choisir',
  suppressed: 'Ne peut pas être ajoutée',
  invalid: 'À corriger',
  busy: 'Non traitée (réessayez)',
} as const;
export type Outcome = keyof typeof OUTCOMES;

export interface DryLine {
  line: number;
  outcome: Outcome;
  /** Screened text of the line (organisme, name or service), empty for a line the screen refused. */
  label: string;
  organisme: string;
  /** French messages: what was recognised, which number is wrong, what to correct. Never a cell's text. */
  messages: string[];
  duplicateOf?: { id: string; label: string; visible: boolean };
  duplicateLine?: number;
  flagged?: boolean;
}

export interface LineResult {
  outcome: Outcome;
  contactId?: string;
  messages?: string[];
  duplicateOf?: { id: string; label: string; visible: boolean };
}

const FREE_TEXT_ROLES: ColumnRole[] = ['organisme', 'service', 'nom', 'prenom', 'fonction', 'remarques'];
const STRUCTURED_ROLES: ColumnRole[] = ['telephone', 'mail'];
const PHONE_LIKE = /^[+(\d][\d\s.\-()/]{7,}(\s*(poste|p\.?|ext\.?|#)\s*\d{1,10})?$/i;
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const looksStructured = (v: string) => PHONE_LIKE.test(v) || EMAIL_LIKE.test(v);

const newDraftId = () => randomBytes(18).toString('base64url');
const expiry = (now = new Date()) => new Date(now.getTime() + DRAFT_TTL_MS);

/** The member's own draft, or a 404 that says nothing of anyone else's. */
async function loadOwnDraft(actor: Actor, id: string): Promise<ImportDraftDoc> {
  authorize(contactPolicy.propose(actor), 'Seuls les membres validés peuvent importer des contacts.');
  const stored = /^[\w-]{16,40}$/.test(id) ? await ImportDraft.findById(id).lean<StoredDraft>() : null;
  const draft = stored ? parseDraft(stored) : null;
  if (!draft || String(draft.ownerId) !== actor.id || draft.expiresAt.getTime() < Date.now()) throw notFound(IMPORT_MESSAGES.notFound);
  return draft;
}

/**
 * Reads the file (memory only), screens every cell and stores the draft. A cell the screen blocks
 * as free text is emptied, except a lone number or address in a column of numbers or addresses
 * (a card's own lines): what was recognised is kept with it, never the text. Returns the draft's id.
 */
export async function createDraft(
  actor: Actor,
  file: { buffer?: Buffer; originalname?: string } | undefined,
  opts: { agentInformed?: 'consent' | 'will_inform' } = {},
): Promise<string> {
  authorize(contactPolicy.propose(actor), 'Seuls les membres validés peuvent importer des contacts.');
  const sheet = await readSpreadsheet(file?.buffer, file?.originalname);
  const mapping = guessMapping(sheet.headers);
  const headers = sheet.headers.map((h, i) => (!h || screenText({ h }).blocked.length ? `Colonne ${i + 1}` : h));
  const structured = sheet.headers.map((_, col) => {
    if (STRUCTURED_ROLES.includes(mapping[col] as ColumnRole)) return true;
    const filled = sheet.rows.map((r) => r.cells[col]).filter(Boolean);
    return filled.length > 0 && filled.filter(looksStructured).length * 2 >= filled.length;
  });
  let blockedCells = 0;
  const rows = sheet.rows.map(({ line, cells }) => {
    const findings: ImportDraftDoc['rows'][number]['findings'] = [];
    const kept = cells.map((value, col) => {
      if (!value) return '';
      const blocked = screenText({ cell: value }).blocked;
      if (!blocked.length) return value;
      blockedCells++;
      const keep = structured[col] && looksStructured(value);
      findings.push({ col, kinds: [...new Set(blocked.map((b) => b.kind))], dropped: !keep });
      return keep ? value : '';
    });
    return { line, cells: kept, findings };
  });
  const _id = newDraftId();
  // The dry run first, then one insert: nothing is stored when it fails.
  const { agentInformed } = opts;
  const dryRun = await computeDryRun(actor, { rows, mapping, departement: actor.departement, agencyChoices: [], agentInformed });
  await ImportDraft.create({
    _id,
    ownerId: actor.id,
    format: sheet.format,
    headers,
    rowsJson: JSON.stringify(rows),
    mapping,
    departement: actor.departement,
    ...(agentInformed ? { agentInformed } : {}),
    dryRunJson: JSON.stringify(dryRun),
    expiresAt: expiry(),
  });
  // Ids, counts, line numbers and detector kinds only: neither the file's name nor a cell's text is ever logged.
  const screened = rows
    .filter((r) => r.findings.some((f) => f.dropped))
    .slice(0, 50)
    .map((r) => ({ line: r.line, kinds: [...new Set(r.findings.flatMap((f) => f.kinds))] }));
  log.info({ draftId: _id, format: sheet.format, lines: rows.length, blockedCells, screened }, 'import draft created');
  return _id;
}

export interface DraftSettings {
  mapping: string[];
  departement: string;
  choices: Record<string, string>;
  agentInformed?: 'consent' | 'will_inform';
}

/** Saves the member's choices (columns, département, organismes) and runs the dry run again. */
export async function updateSettings(actor: Actor, id: string, settings: DraftSettings): Promise<void> {
  const draft = await loadOwnDraft(actor, id);
  if (draft.status !== 'ready') return;
  const mapping = draft.headers.map((_, i) => (ROLE_CODES.includes(settings.mapping[i] as ColumnRole) ? settings.mapping[i] : 'ignore'));
  const departement = isDepartementCode(settings.departement) ? settings.departement : draft.departement;
  type Choice = ImportDraftDoc['agencyChoices'][number];
  const agencyChoices = Object.entries(settings.choices)
    .map(([key, value]): Choice | undefined => {
      if (value.startsWith('new:') && isAgencyTypeCode(value.slice(4))) return { key, newType: value.slice(4) };
      if (/^[a-f0-9]{24}$/.test(value)) return { key, agencyId: value };
      return undefined;
    })
    .filter((c): c is Choice => !!c);
  const agentInformed = settings.agentInformed;
  const next = { ...draft, mapping, departement, agencyChoices, agentInformed };
  const dryRun = await computeDryRun(actor, next);
  const set = { mapping, departement, agencyChoices, dryRunJson: JSON.stringify(dryRun), expiresAt: expiry(), ...(agentInformed ? { agentInformed } : {}) };
  const res = await ImportDraft.updateOne(
    { _id: draft._id, version: draft.version, status: 'ready' },
    { $set: set, ...(agentInformed ? {} : { $unset: { agentInformed: 1 } }), $inc: { version: 1 } },
  );
  if (!res.modifiedCount) throw conflict(IMPORT_MESSAGES.changed, 'import_changed');
}

interface LineInput {
  line: number;
  label: string;
  organisme: string;
  organismeKey: string;
  /** Findings of the screen on the cells this mapping imports as free text (or a dropped number). */
  screened: string[];
  body: Record<string, unknown>;
  hasPhone: boolean;
  agency?: AgencyDoc;
  newAgencyType?: string;
}

/** The département's agencies by folded name, and the ones the member picked (loaded for them). */
async function agenciesFor(actor: Actor, draft: Pick<ImportDraftDoc, 'departement' | 'agencyChoices'>) {
  const list = draft.departement ? await listAgencies(draft.departement) : [];
  const byKey = new Map(list.map((a) => [a.nameKey, a]));
  const byId = new Map(list.map((a) => [String(a._id), a]));
  for (const c of draft.agencyChoices) {
    if (c.agencyId && !byId.has(c.agencyId)) {
      const a = await loadAgencyFor(actor, c.agencyId).catch(() => undefined);
      if (a && a.departement === draft.departement) byId.set(c.agencyId, a);
    }
  }
  return { list, byKey, byId };
}

/** Each line as the add form's input, with what the screen recognised in the cells it imports. */
async function lineInputs(
  actor: Actor,
  draft: Pick<ImportDraftDoc, 'rows' | 'mapping' | 'departement' | 'agencyChoices' | 'agentInformed'>,
): Promise<{ inputs: LineInput[]; agencies: AgencyDoc[] }> {
  const { list, byKey, byId } = await agenciesFor(actor, draft);
  const choices = new Map(draft.agencyChoices.map((c) => [c.key, c]));
  const inputs = draft.rows.map((row) => {
    const get = (role: ColumnRole) => draft.mapping.flatMap((r, i) => (r === role && row.cells[i] ? [row.cells[i]] : []));
    const [organisme = ''] = get('organisme');
    const organismeKey = foldKey(organisme);
    const [nom, prenom, fonction, service, mail, remarques] = (['nom', 'prenom', 'fonction', 'service', 'mail', 'remarques'] as const).map((r) =>
      get(r).join(' '),
    );
    const phones = get('telephone');
    const screened = row.findings
      .filter(
        (f) => FREE_TEXT_ROLES.includes(draft.mapping[f.col] as ColumnRole) || (f.dropped && STRUCTURED_ROLES.includes(draft.mapping[f.col] as ColumnRole)),
      )
      .flatMap((f) => f.kinds.map((k) => `« ${COLUMN_ROLES[draft.mapping[f.col] as ColumnRole] ?? 'Colonne'} » : nous y avons reconnu ${recognisedOf(k)}.`));
    const kind = nom || prenom ? 'agent' : 'service_line';
    const choice = choices.get(organismeKey);
    const agency = (choice?.agencyId ? byId.get(choice.agencyId) : undefined) ?? (choice?.newType ? undefined : byKey.get(organismeKey));
    const lineKind = kind === 'agent' ? 'direct' : 'service';
    const body: Record<string, unknown> = {
      kind,
      agentFirstName: prenom,
      agentLastName: nom,
      function: fonction,
      service,
      phone1: phones[0] ?? '',
      phone1Kind: lineKind,
      phone2: phones[1] ?? '',
      phone2Kind: lineKind,
      email: mail,
      tips: remarques,
      ...(draft.agentInformed ? { agentInformed: draft.agentInformed } : {}),
      ...(agency
        ? { agencyMode: 'existing', agencyId: String(agency._id) }
        : choice?.newType && organisme
          ? { agencyMode: 'new', newAgencyName: organisme, newAgencyType: choice.newType, newAgencyDepartement: draft.departement }
          : { agencyMode: 'existing', agencyId: '' }),
    };
    const label = [organisme, [prenom, nom].filter(Boolean).join(' '), fonction, service].filter(Boolean).join(' · ');
    return { line: row.line, label, organisme, organismeKey, screened, body, hasPhone: phones.length > 0, agency, newAgencyType: choice?.newType };
  });
  return { inputs, agencies: list };
}

type Parsed = { ok: true; input: ProposeContactInput } | { ok: false; line: DryLine };

/** The add form's schema on a line: the same trimming, lengths and messages. */
function parseLine(l: LineInput): Parsed {
  const base = { line: l.line, label: l.label, organisme: l.organisme, messages: [] as string[] };
  if (l.screened.length) return { ok: false, line: { ...base, label: '', outcome: 'screen', messages: l.screened } };
  if (!l.hasPhone) return { ok: false, line: { ...base, outcome: 'no_number', messages: ['Aucun numéro de téléphone dans cette ligne.'] } };
  if (!l.agency && !l.newAgencyType) {
    return {
      ok: false,
      line: {
        ...base,
        outcome: 'unknown_agency',
        messages: [
          l.organisme
            ? 'Cet organisme n’est pas dans l’annuaire pour ce département : choisissez-le ou proposez-le.'
            : 'Aucun organisme dans cette ligne : choisissez-en un.',
        ],
      },
    };
  }
  const parsed = ProposeContactSchema.safeParse(l.body);
  if (!parsed.success) return { ok: false, line: { ...base, outcome: 'invalid', messages: [...new Set(parsed.error.issues.map((i) => i.message))] } };
  return { ok: true, input: parsed.data };
}

/** An AppError of `proposeContact`/`checkProposal` as a line's outcome (its messages name fields and kinds, never the text). */
function outcomeOfError(err: unknown, base: Omit<DryLine, 'outcome'>): DryLine {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const messages = err.fields ? [...new Set(Object.values(err.fields))] : [err.message];
  switch (err.code) {
    case 'secrecy':
      return { ...base, label: '', outcome: 'screen', messages };
    case 'bad_phone':
      return { ...base, outcome: 'no_number', messages };
    case 'suppressed':
      return { ...base, outcome: 'suppressed', messages: [err.message] };
    case 'agency_not_found':
      return { ...base, outcome: 'unknown_agency', messages };
    case 'busy':
      return { ...base, outcome: 'busy', messages: [err.message] };
    default:
      if (err.status === 409 && Array.isArray((err.details as { duplicates?: unknown })?.duplicates)) {
        const [first] = (err.details as { duplicates: DryLine['duplicateOf'][] }).duplicates;
        return { ...base, outcome: 'duplicate_card', messages: [], duplicateOf: first };
      }
      return { ...base, outcome: 'invalid', messages };
  }
}

/** Runs `fn` on every item, `width` at a time, keeping the order. */
async function mapPool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/**
 * The dry run: each line through the add form's rules without writing (`checkProposal`), then the
 * lines that repeat an earlier line of the file (same number, or same person in the same organisme).
 */
async function computeDryRun(actor: Actor, draft: Pick<ImportDraftDoc, 'rows' | 'mapping' | 'departement' | 'agencyChoices' | 'agentInformed'>): Promise<DryLine[]> {
  const { inputs } = await lineInputs(actor, draft);
  type Checked = { dry: DryLine; keys?: string[]; agentKey?: string; l?: LineInput };
  // A hundred lines per call: the suppression list and the keyed sets are read once per call.
  const chunks: LineInput[][] = [];
  for (let i = 0; i < inputs.length; i += DRY_RUN_CHUNK) chunks.push(inputs.slice(i, i + DRY_RUN_CHUNK));
  const checked = (
    await mapPool(chunks, 2, async (chunk): Promise<Checked[]> => {
      const parsed = chunk.map((l) => ({ l, parsed: parseLine(l) }));
      const ok = parsed.filter((p): p is { l: LineInput; parsed: { ok: true; input: ProposeContactInput } } => p.parsed.ok);
      const checks = await checkProposals(
        actor,
        ok.map((p) => ({ input: p.parsed.input, agency: p.l.agency })),
      );
      const byLine = new Map(ok.map((p, i) => [p.l.line, checks[i]]));
      return parsed.map(({ l, parsed: p }): Checked => {
        if (!p.ok) return { dry: p.line };
        const base = { line: l.line, label: l.label, organisme: l.organisme, messages: [] as string[] };
        const check = byLine.get(l.line)!;
        if (check instanceof Error) return { dry: outcomeOfError(check, base) };
        if (check.outcome === 'duplicate') return { dry: { ...base, outcome: 'duplicate_card', duplicateOf: check.duplicates[0] } };
        return {
          dry: { ...base, outcome: 'new', flagged: check.flags.length > 0, messages: check.warnings },
          keys: check.phoneKeys,
          agentKey: check.agentKey,
          l,
        };
      });
    })
  ).flat();
  const seen = new Map<string, number>();
  return checked.map((c) => {
    if (c.dry.outcome !== 'new' || !c.keys || !c.l) return c.dry;
    const agencyRef = c.l.agency ? String(c.l.agency._id) : `new:${c.l.organismeKey}`;
    const keys = [...c.keys.map((k) => `phone:${k}`), ...(c.agentKey ? [`agent:${agencyRef}:${c.agentKey}`] : [])];
    const earlier = keys.map((k) => seen.get(k)).find((n) => n !== undefined);
    if (earlier !== undefined) return { ...c.dry, outcome: 'duplicate_line' as const, duplicateLine: earlier, messages: [] };
    for (const k of keys) seen.set(k, c.dry.line);
    return c.dry;
  });
}

/** A draft as its pages need it: the draft, the département's agencies and the file's unknown organismes. */
export async function getDraft(actor: Actor, id: string) {
  const draft = await loadOwnDraft(actor, id);
  const { inputs, agencies } = draft.status === 'ready' ? await lineInputs(actor, draft) : { inputs: [], agencies: [] };
  const unknown = new Map<string, { key: string; name: string; lines: number }>();
  for (const l of inputs) {
    if (l.agency && !draft.agencyChoices.some((c) => c.key === l.organismeKey)) continue;
    const u = unknown.get(l.organismeKey) ?? { key: l.organismeKey, name: l.organisme, lines: 0 };
    u.lines++;
    unknown.set(l.organismeKey, u);
  }
  return { draft, agencies, unknownOrganismes: [...unknown.values()], departement: draft.departement ? getDepartement(draft.departement) : undefined };
}

/** How far a confirmed import is: lines to write, lines written. */
export function progressOf(draft: Pick<ImportDraftDoc, 'dryRun' | 'results' | 'status'>): { total: number; done: number; finished: boolean } {
  const total = (draft.dryRun as DryLine[]).filter((l) => l.outcome === 'new').length;
  const done = Object.keys(draft.results ?? {}).length;
  return { total, done: Math.min(done, total), finished: draft.status === 'done' };
}

/** The progress of the member's own import (the progress bar's JSON). */
export async function getProgress(actor: Actor, id: string) {
  return progressOf(await loadOwnDraft(actor, id));
}

/**
 * Confirms the dry run the member read (`version`): the draft turns to `confirming` once, and a
 * worker writes its accepted lines in the background while the page shows the progress. Calling it
 * again (a double submit, a retry after an outage) starts no second writer while one holds the
 * lease, and a line already written is never written twice (its card's `_id` comes from the line).
 */
export async function confirmImport(actor: Actor, id: string, version: number): Promise<void> {
  const draft = await loadOwnDraft(actor, id);
  if (draft.status === 'done') return;
  if (draft.status === 'ready') {
    if (draft.version !== version) throw conflict(IMPORT_MESSAGES.changed, 'import_changed');
    if (!draft.departement) throw conflict(IMPORT_MESSAGES.notReady, 'import_not_ready');
    if (!progressOf(draft).total) throw conflict(IMPORT_MESSAGES.nothing, 'import_empty');
    const res = await ImportDraft.updateOne({ _id: id, status: 'ready', version }, { $set: { status: 'confirming', expiresAt: expiry() } });
    if (!res.modifiedCount) {
      const again = await loadOwnDraft(actor, id);
      if (again.status === 'ready') throw conflict(IMPORT_MESSAGES.changed, 'import_changed');
    }
  }
  runInBackground('import', () => writeLines(actor, id));
}

const LEASE_MS = 30_000;
const DRY_RUN_CHUNK = 100;
const RESULTS_PER_SAVE = 5;

/** Writes the accepted lines not written yet, holding the draft's lease; idempotent. */
export async function writeLines(actor: Actor, id: string): Promise<void> {
  const owner = randomUUID();
  const now = new Date();
  const stored = await ImportDraft.findOneAndUpdate(
    { _id: id, status: 'confirming', $or: [{ 'lease.until': { $exists: false } }, { 'lease.until': null }, { 'lease.until': { $lt: now } }] },
    { $set: { lease: { owner, until: new Date(now.getTime() + LEASE_MS) } } },
    { returnDocument: 'after' },
  ).lean<StoredDraft>();
  if (!stored) return;
  const taken = parseDraft(stored);
  const { inputs } = await lineInputs(actor, taken);
  const byLine = new Map(inputs.map((l) => [l.line, l]));
  const todo = (taken.dryRun as DryLine[]).filter((l) => l.outcome === 'new' && !(String(l.line) in (taken.results ?? {})));
  let written = 0;
  // Results are saved a few lines at a time (each save rewrites the draft); a line whose save was
  // lost is found again by its card's `_id` on the next run.
  for (let i = 0; i < todo.length; i += RESULTS_PER_SAVE) {
    const set: Record<string, unknown> = {};
    for (const dry of todo.slice(i, i + RESULTS_PER_SAVE)) {
      const l = byLine.get(dry.line);
      const result = l ? await writeLine(actor, id, l) : { outcome: 'invalid' as const };
      set[`results.${dry.line}`] = result;
      if (result.outcome === 'created') written++;
    }
    const res = await ImportDraft.updateOne({ _id: id, 'lease.owner': owner }, { $set: { ...set, 'lease.until': new Date(Date.now() + LEASE_MS) } });
    if (!res.modifiedCount) return; // the lease was taken over: the other writer goes on
  }
  // The cells are no longer needed: only the dry run's labels and the results stay until expiry.
  await ImportDraft.updateOne({ _id: id, 'lease.owner': owner }, { $set: { status: 'done', rowsJson: '[]', expiresAt: expiry() }, $unset: { lease: 1 } });
  log.info({ draftId: id, written, lines: todo.length }, 'import confirmed');
}

async function writeLine(actor: Actor, batchId: string, l: LineInput): Promise<LineResult> {
  const contactId = stableId('import-line', batchId, String(l.line));
  const created = { outcome: 'created' as const, contactId: String(contactId) };
  if (await findContactById(contactId)) return created;
  const parsed = parseLine(l);
  if (!parsed.ok) return { outcome: parsed.line.outcome, messages: parsed.line.messages };
  const base = { line: l.line, label: l.label, organisme: l.organisme, messages: [] };
  for (let attempt = 0; ; attempt++) {
    try {
      await proposeContact(actor, parsed.input, { contactId, importBatchId: batchId }, l.agency);
      return created;
    } catch (err) {
      // A duplicate of this very line's card: another writer (or an earlier try) wrote it.
      if (err instanceof AppError && err.status === 409 && (await findContactById(contactId))) return created;
      if (err instanceof AppError && err.code === 'busy' && attempt < 2) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const dry = outcomeOfError(err, base);
      return { outcome: dry.outcome, messages: dry.messages, duplicateOf: dry.duplicateOf };
    }
  }
}

/** Deletes expired drafts (the 15-minute clean-up). */
export async function purgeExpiredDrafts(now = new Date()): Promise<number> {
  return (await ImportDraft.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
}
