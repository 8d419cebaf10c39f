/** Small text helpers shared by features. */

/** Lower-case, accent-free, single-spaced: "  Hôtel  de Ville " → "hotel de ville". Used for duplicate keys. */
export function foldKey(value: string | undefined | null): string {
  return (value ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Canonical form of typed text: NFC, non-breaking spaces as spaces, trimmed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').replace(/[\u00A0\u202F]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** Escapes a string for use inside a regular expression (user input in $regex filters). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One kind of line break and no control character: CRLF, CR, NEL and the Unicode line and
 * paragraph separators become LF; every other control character but the tab is dropped. What
 * is left cannot end a line of a vCard, a mail header or a log on its own.
 */
export function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n|[\r\u0085\u2028\u2029]/g, '\n').replace(/[^\P{Cc}\t\n]/gu, '');
}
