/**
 * Writing vCard 3.0 (RFC 2426, on the line format of RFC 2425): text values
 * escaped so that nothing a member typed can end a line or start a property,
 * and lines folded at 75 octets without splitting a UTF-8 character
 * (docs/vcard.md).
 */
import { normalizeLineBreaks } from '../core/text';

const FOLD_AT = 75;
const encoder = new TextEncoder();

/**
 * Escapes a text value (RFC 2426 §4, `text`): `\` `,` `;` get a backslash and every line
 * break (CRLF, CR, LF, and the Unicode line and paragraph separators) becomes `\n`.
 * Other control characters, which no form can type, are dropped.
 */
export function escapeText(value: string): string {
  return normalizeLineBreaks(value)
    .replace(/[\\,;]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/**
 * Folds a content line (RFC 2425 §5.8.1): no physical line longer than 75 octets, the
 * continuation lines starting with one space (counted in their 75). Splits between code
 * points, so a multi-byte UTF-8 character or a surrogate pair is never cut.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= FOLD_AT) return line;
  const physical: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (size + bytes > FOLD_AT) {
      physical.push(current);
      current = ' ';
      size = 1;
    }
    current += char;
    size += bytes;
  }
  physical.push(current);
  return physical.join('\r\n');
}

/** One property: `name`, optional `params` (written as is: only constants from the code) and an already escaped `value`. */
export interface VCardProperty {
  name: string;
  params?: string;
  value: string;
}

/** A whole vCard 3.0: BEGIN, VERSION, the properties, END; every line folded and ended by CRLF. */
export function serializeVCard(properties: VCardProperty[]): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', ...properties.map((p) => `${p.name}${p.params ? `;${p.params}` : ''}:${p.value}`), 'END:VCARD'];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** A structured value (N, ORG): each component escaped, joined by `;`. */
export const structured = (...components: Array<string | undefined | null>) => components.map((c) => escapeText(c ?? '')).join(';');
