/**
 * The flagged words of a card or a revision, found again for the item page.
 * Stored screening flags name the field and the detector, never the text
 * (src/contacts/contact-input.ts); the screen (src/screening/screening.ts)
 * is run again on shrinking slices of that field to find the shortest spans
 * where the same detector still fires. Only moderators see the result.
 */
import { screenText } from '../screening/screening';

export interface Segment {
  text: string;
  mark: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const firesOn = (text: string, kind: string, allowWords: string[]) =>
  text.trim() !== '' && screenText({ f: text }, { allowWords }).flagged.some((f) => f.kind === kind);

/** Spans [start, end) of `text` where detector `kind` fires: at most `max`, each the shortest found. */
export function flaggedSpans(text: string, kind: string, allowWords: string[] = [], max = 5): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let rest = text;
  while (spans.length < max && firesOn(rest, kind, allowWords)) {
    let start = 0;
    while (start < rest.length && firesOn(rest.slice(start + 1), kind, allowWords)) start++;
    let end = rest.length;
    while (end > start + 1 && firesOn(rest.slice(start, end - 1), kind, allowWords)) end--;
    // Whole words: a detector that still fires on « Mme D » or « APD » means « Mme Durand » or « PAPD ».
    while (start > 0 && WORD_CHAR.test(rest[start - 1])) start--;
    while (end < rest.length && WORD_CHAR.test(rest[end])) end++;
    spans.push([start, end]);
    // Blank the span found so the next pass finds another one (same length: offsets stay valid).
    rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  }
  return spans;
}

/** `text` cut into segments, those inside a flagged span marked (rendered as <mark> by the item page). */
export function highlight(text: string | null | undefined, kinds: readonly string[], allowWords: string[] = []): Segment[] | undefined {
  if (!text || !kinds.length || text.length > 2000) return undefined;
  const spans = kinds.flatMap((k) => flaggedSpans(text, k, allowWords)).sort((a, b) => a[0] - b[0]);
  if (!spans.length) return undefined;
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    if (start > at) segments.push({ text: text.slice(at, start), mark: false });
    segments.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), mark: false });
  return segments;
}
