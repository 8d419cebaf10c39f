/**
 * Just enough PDF reading for the print tests, without a dependency: the page
 * count (page objects in the file) and the text Chromium wrote. Chromium (Skia)
 * writes text as 2-byte glyph ids in hex strings, one font per `Tf`; each font
 * has a ToUnicode map from glyph ids to characters, which this reads.
 */
import { inflateSync } from 'node:zlib';

export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

interface PdfObject {
  dict: string;
  stream?: string;
}

/** Every `N 0 obj … endobj`, with its stream inflated when it is a Flate stream. */
function objects(pdf: Buffer): Map<string, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<string, PdfObject>();
  for (const m of text.matchAll(/(\d+) 0 obj\b([\s\S]*?)endobj/g)) {
    const body = m[2];
    const at = body.search(/stream\r?\n/);
    if (at < 0) {
      out.set(m[1], { dict: body });
      continue;
    }
    const offset = m.index + m[0].indexOf(body) + at + (body.slice(at).startsWith('stream\r\n') ? 8 : 7);
    const end = text.indexOf('endstream', offset);
    let stream: string | undefined;
    try {
      stream = inflateSync(pdf.subarray(offset, end)).toString('latin1');
    } catch {
      stream = undefined; // not a Flate stream (an image, a font program)
    }
    out.set(m[1], { dict: body.slice(0, at), stream });
  }
  return out;
}

const codePoints = (hex: string) => {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCodePoint(parseInt(hex.slice(i, i + 4), 16));
  return s;
};

/** glyph id (4 hex digits, upper case) → characters, from a ToUnicode CMap. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of cmap.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const [, from, to] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(from.toUpperCase(), codePoints(to));
  }
  for (const block of cmap.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const [, lo, hi, to] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const base = parseInt(to, 16);
      for (let g = parseInt(lo, 16); g <= parseInt(hi, 16); g++) map.set(g.toString(16).toUpperCase().padStart(4, '0'), String.fromCodePoint(base + g - parseInt(lo, 16)));
    }
  }
  return map;
}

/** The text of every text object (`BT … ET`), one line each, glyphs decoded with the font in force. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const fonts = new Map<string, Map<string, string>>();
  for (const o of objs.values()) {
    for (const [, entries] of o.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, ref] of entries.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const cmapRef = /\/ToUnicode\s+(\d+) 0 R/.exec(objs.get(ref)?.dict ?? '')?.[1];
        const cmap = cmapRef ? objs.get(cmapRef)?.stream : undefined;
        if (cmap) fonts.set(name, toUnicode(cmap));
      }
    }
  }
  const lines: string[] = [];
  for (const o of objs.values()) {
    if (!o.stream || !/\bBT\b/.test(o.stream)) continue;
    let font = new Map<string, string>();
    for (const [, body] of o.stream.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
      let line = '';
      for (const [, fontName, hex] of body.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>/g)) {
        if (fontName) font = fonts.get(fontName) ?? new Map<string, string>();
        else for (let i = 0; i + 4 <= hex.length; i += 4) line += font.get(hex.slice(i, i + 4).toUpperCase()) ?? '';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}
