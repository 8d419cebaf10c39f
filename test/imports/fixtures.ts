/** Spreadsheets made by the tests themselves: CSV as French Excel writes them, and .xlsx written by exceljs. */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export const HEADER = ['Organisme', 'Service', 'Nom', 'Prénom', 'Fonction', 'Téléphone', 'Mail', 'Remarques'];

const quote = (v: string, sep: string) => (/["\r\n]/.test(v) || v.includes(sep) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV the way Excel's « CSV (séparateur : point-virgule) » writes it: CRLF, quotes only where needed. */
export function csvText(rows: string[][], sep = ';'): string {
  return rows.map((r) => r.map((v) => quote(v, sep)).join(sep)).join('\r\n') + '\r\n';
}

/** UTF-8 with a BOM (« CSV UTF-8 » in Excel). */
export const csvUtf8Bom = (rows: string[][], sep = ';') => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows, sep), 'utf8')]);

/** Windows-1252, what French Excel writes for a plain CSV. */
export const csv1252 = (rows: string[][], sep = ';') => iconv.encode(csvText(rows, sep), 'win1252');

/** An .xlsx workbook written by exceljs (the library the app reads it with). */
export async function xlsx(rows: Array<Array<string | number>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Contacts');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A French number display of an E.164 +33 number: « 02 40 12 34 56 ». */
export { displayNumber as display } from '../support/factories';
