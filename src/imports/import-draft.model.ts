/**
 * A spreadsheet import between its upload and its confirmation: the screened
 * cells (never the file), the member's choices (columns, département,
 * organismes), the dry run and, once confirmed, each line's result. Its `_id`
 * is random and it belongs to one member; it expires two hours after its last
 * change and the clean-up deletes it (small by design: docs/data-access.md).
 */
import { model, Schema } from 'mongoose';

export const DRAFT_TTL_MS = 2 * 3600 * 1000;

const importDraftSchema = new Schema(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    format: { type: String, required: true },
    headers: { type: [String], default: [] },
    /**
     * The lines, as JSON: `{ line, cells, findings }[]` where `cells` are screened (a cell the screen
     * blocks is emptied unless it is a number or an address in such a column) and `findings` say, per
     * blocked cell, its column and what was recognised (detector kinds, never the text). One string,
     * not 2 000 subdocuments: the embedded database writes a string of 1 MB in milliseconds and
     * such an array in seconds.
     */
    rowsJson: { type: String, default: '[]' },
    mapping: { type: [String], default: [] },
    departement: { type: String, maxlength: 3 },
    /** Organismes of the file that match no agency of the département: the member's choice per folded name. */
    agencyChoices: { type: [{ key: String, agencyId: String, newType: String, _id: false }], default: [] },
    /** How the named agents of lines without an e-mail are informed (docs/agents.md): one answer for the file. */
    agentInformed: { type: String, enum: ['consent', 'will_inform'] },
    /** The dry run of the current choices, per line (imports.service.ts `DryLine`), as JSON for the same reason. */
    dryRunJson: { type: String, default: '[]' },
    /** Bumped by every change of the choices: a confirmation names the version whose dry run the member read. */
    version: { type: Number, default: 1 },
    status: { type: String, required: true, enum: ['ready', 'confirming', 'done'], default: 'ready' },
    /** Who is writing the cards now (one worker at a time; taken over once `until` has passed). */
    lease: { owner: String, until: Date },
    /** Each processed line's result, keyed by line number. */
    results: { type: Schema.Types.Mixed, default: {} },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'import_drafts', versionKey: false, minimize: false },
);

/** A draft as stored (the lines and the dry run still JSON). */
export type StoredDraft = Omit<ImportDraftDoc, 'rows' | 'dryRun'> & { rowsJson: string; dryRunJson: string };

/** The draft with its lines and dry run parsed. */
export function parseDraft(stored: StoredDraft): ImportDraftDoc {
  const { rowsJson, dryRunJson, ...rest } = stored;
  return { ...rest, rows: JSON.parse(rowsJson || '[]') as ImportDraftDoc['rows'], dryRun: JSON.parse(dryRunJson || '[]') as unknown[] };
}

export type ImportDraftDoc = {
  _id: string;
  ownerId: import('mongoose').Types.ObjectId;
  format: string;
  headers: string[];
  rows: Array<{ line: number; cells: string[]; findings: Array<{ col: number; kinds: string[]; dropped: boolean }> }>;
  mapping: string[];
  departement?: string;
  agencyChoices: Array<{ key: string; agencyId?: string; newType?: string }>;
  agentInformed?: 'consent' | 'will_inform';
  dryRun: unknown[];
  version: number;
  status: 'ready' | 'confirming' | 'done';
  lease?: { owner?: string; until?: Date };
  results: Record<string, unknown>;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
};
export const ImportDraft = model('ImportDraft', importDraftSchema);
