/**
 * Reads a spreadsheet sent by a member, in memory only: a CSV as French Excel
 * writes it (`;` or `,`, CRLF, quoted fields, UTF-8 with or without BOM, or
 * Windows-1252) or an `.xlsx` workbook (its first sheet). Returns the header
 * and the lines as plain strings; throws French 422s for what cannot be read.
 */
import { parse } from 'csv-parse/sync';
// exceljs is loaded on the first .xlsx only: it weighs about 27 MB of resident memory, which the server should not carry from start.
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../core/errors';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_LINES = 2000;
export const MAX_COLUMNS = 30;
const MAX_CELL = 1000;

export const SPREADSHEET_MESSAGES = {
  tooLarge: 'Ce fichier dépasse 2 Mo. Enregistrez-le sans mise en forme (CSV) ou découpez-le en plusieurs fichiers.',
  tooManyLines: `Ce fichier compte plus de ${MAX_LINES.toLocaleString('fr-FR')} lignes. Découpez-le en plusieurs fichiers de ${MAX_LINES.toLocaleString('fr-FR')} lignes au plus.`,
  empty: 'Ce fichier ne contient aucune ligne sous la ligne d’en-tête.',
  unreadable: 'Ce fichier n’a pas pu être lu. Envoyez un fichier CSV (séparateur « ; » ou « , ») ou un classeur Excel (.xlsx).',
  xls: 'Les classeurs Excel anciens (.xls) ne sont pas lus : dans Excel, « Enregistrer sous » puis « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».',
  tooManyColumns: `Ce fichier compte plus de ${MAX_COLUMNS} colonnes : gardez seulement celles de l’annuaire (organisme, service, nom, prénom, fonction, téléphone, mail, remarques).`,
  noFile: 'Choisissez un fichier CSV ou Excel (.xlsx).',
};

export type SpreadsheetFormat = 'csv-utf8' | 'csv-1252' | 'xlsx';

export interface Spreadsheet {
  format: SpreadsheetFormat;
  headers: string[];
  /** Data lines with their line number in the file (the header is line 1); blank lines are left out. */
  rows: Array<{ line: number; cells: string[] }>;
}

const refuse = (message: string, status = 422) => new AppError(status, 'bad_spreadsheet', message, { fichier: message });

const isZip = (buf: Buffer) => buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
const isOle = (buf: Buffer) => buf.length > 8 && buf.readUInt32BE(0) === 0xd0cf11e0;

/**
 * UTF-8 when the bytes are valid UTF-8 (a BOM or not), Windows-1252 otherwise: what French Excel
 * writes for « CSV (séparateur : point-virgule) ». Node's own TextDecoder reads windows-1252 as
 * Latin-1 (œ, ’ and € come out as control characters), hence iconv-lite.
 */
export function decodeText(buf: Buffer): { text: string; encoding: 'utf8' | '1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
    return { text, encoding: 'utf8' };
  } catch {
    return { text: iconv.decode(buf, 'win1252'), encoding: '1252' };
  }
}

/** `;` or `,`: whichever appears more often outside quotes on the header line. */
export function detectSeparator(text: string): ';' | ',' {
  let semi = 0;
  let comma = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semi++;
    else if (!quoted && ch === ',') comma++;
  }
  return comma > semi ? ',' : ';';
}

const clean = (v: string) =>
  v
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u202F]/g, ' ')
    .trim()
    .slice(0, MAX_CELL);

function shape(records: string[][], format: SpreadsheetFormat): Spreadsheet {
  const [header, ...rest] = records;
  if (!header) throw refuse(SPREADSHEET_MESSAGES.empty);
  const width = Math.max(header.length, ...rest.slice(0, MAX_LINES + 1).map((r) => r.length));
  if (width > MAX_COLUMNS) throw refuse(SPREADSHEET_MESSAGES.tooManyColumns);
  const rows: Spreadsheet['rows'] = [];
  rest.forEach((r, i) => {
    const cells = Array.from({ length: width }, (_, c) => clean(r[c] ?? ''));
    if (cells.some(Boolean)) rows.push({ line: i + 2, cells });
  });
  if (rows.length > MAX_LINES) throw refuse(SPREADSHEET_MESSAGES.tooManyLines, 413);
  if (!rows.length) throw refuse(SPREADSHEET_MESSAGES.empty);
  return { format, headers: Array.from({ length: width }, (_, c) => clean(header[c] ?? '')), rows };
}

function readCsv(buf: Buffer): Spreadsheet {
  const { text, encoding } = decodeText(buf);
  const body = text.replace(/^\uFEFF/, '');
  // A file of a million short lines is refused before its records are built (cells may hold line breaks: 10 per line allowed).
  if ((body.match(/\n/g)?.length ?? 0) > MAX_LINES * 10) throw refuse(SPREADSHEET_MESSAGES.tooManyLines, 413);
  return shape(parseCsv(body), encoding === 'utf8' ? 'csv-utf8' : 'csv-1252');
}

function parseCsv(body: string): string[][] {
  try {
    return parse(body, {
      delimiter: detectSeparator(body),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    });
  } catch {
    throw refuse(SPREADSHEET_MESSAGES.unreadable);
  }
}

/** The text a cell shows (numbers as typed, dates as French dates, formulas by their result, rich text joined). */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toLocaleDateString('fr-FR', { timeZone: 'UTC' });
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result as string | number);
    return '';
  }
  return cell.text ?? String(v as string | number | boolean);
}

async function readXlsx(buf: Buffer): Promise<Spreadsheet> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw refuse(SPREADSHEET_MESSAGES.unreadable);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw refuse(SPREADSHEET_MESSAGES.empty);
  if (sheet.actualRowCount > MAX_LINES + 1) throw refuse(SPREADSHEET_MESSAGES.tooManyLines, 413);
  const records: string[][] = [];
  const width = Math.min(sheet.columnCount, MAX_COLUMNS + 1);
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    records.push(Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1))));
  }
  // Excel's own numbering: a blank row in the sheet still counts (shape() numbers from the records).
  return shape(records, 'xlsx');
}

/** Reads the file's bytes (never written to disk). */
export async function readSpreadsheet(buf: Buffer | undefined, fileName = ''): Promise<Spreadsheet> {
  if (!buf?.length) throw refuse(SPREADSHEET_MESSAGES.noFile);
  if (buf.length > MAX_FILE_BYTES) throw refuse(SPREADSHEET_MESSAGES.tooLarge, 413);
  if (isOle(buf) || /\.xls$/i.test(fileName)) throw refuse(SPREADSHEET_MESSAGES.xls);
  if (isZip(buf)) return readXlsx(buf);
  if (buf.includes(0)) throw refuse(SPREADSHEET_MESSAGES.unreadable);
  return readCsv(buf);
}
