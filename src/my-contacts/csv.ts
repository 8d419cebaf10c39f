/**
 * CSV for French spreadsheets: `;` between cells (Excel in a French locale
 * splits on it), CRLF between rows, UTF-8 with a byte-order mark so Excel reads
 * the accents. A cell starting with = + - @ (or a tab or CR) would be read as a
 * formula (CSV injection): it gets a leading apostrophe, which spreadsheets
 * show as text and hide.
 */
const SEPARATOR = ';';
export const BOM = '\uFEFF';

/** Neutralises a value a spreadsheet would evaluate. */
export function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One cell: defused, then quoted when it holds the separator, a quote or a line break (quotes doubled). */
export function csvCell(value: string | number | undefined | null): string {
  const text = defuse(value === undefined || value === null ? '' : String(value));
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, the header row, the rows. */
export function toCsv(header: string[], rows: Array<Array<string | number | undefined | null>>): string {
  return `${BOM}${[header, ...rows].map((row) => row.map(csvCell).join(SEPARATOR)).join('\r\n')}\r\n`;
}
