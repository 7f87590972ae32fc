// Text widths without an OpenType layout per string. pdfkit's widthOfString
// runs fontkit's whole GSUB/GPOS pipeline on every string it measures; for
// text in the Latin script and the common characters (digits, punctuation,
// symbols) the bundled DejaVu fonts do nothing there but pair kerning and the
// f-ligatures. So a width is the sum of the glyphs' advance widths plus, for
// each pair of neighbours, the adjustment fontkit itself gives that pair (laid
// out once and remembered). A pair fontkit changes otherwise (a ligature, a
// mark moved) and any character outside that set make `fastWidth` answer
// undefined, and the caller measures with widthOfString. The sums are done in
// pdfkit's order, so the result is the same number, bit for bit.

/** The parts of a fontkit font used here (pdfkit's `EmbeddedFont.font`). */
export interface Face {
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
  layout(text: string, features?: undefined, script?: string): { script: string; glyphs: { id: number }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
}

interface Tables {
  /** pdfkit's scale from font units to 1/1000 of the font size. */
  scale: number;
  /** fontkit's script tags for Latin text and for text of common characters only. */
  latin: string;
  common: string;
  /** Per code point below U+3000 (U+FFFD at 0x3000): advance × 2 + 1 if the character is Latin, −1 if it is not on the fast path, −2 not yet known. */
  chars: Int32Array;
  /** (first × 65536 + second) → the adjustments of the first and second glyph's advance; null if the pair is more than kerned. */
  latinPairs: Map<number, [number, number] | null>;
  commonPairs: Map<number, [number, number] | null>;
}

const tables = new WeakMap<Face, Tables>();

function tablesOf(face: Face): Tables {
  let t = tables.get(face);
  if (!t) {
    t = { scale: 1000 / face.unitsPerEm, latin: face.layout('a').script, common: face.layout('.').script, chars: new Int32Array(0x3001).fill(-2), latinPairs: new Map(), commonPairs: new Map() };
    tables.set(face, t);
  }
  return t;
}

// Marks, controls, format characters and default ignorables get special treatment in fontkit.
const special = /[\p{M}\p{C}\p{Default_Ignorable_Code_Point}\s]/u;

function charOf(t: Tables, face: Face, code: number): number {
  const index = code < 0x3000 ? code : code === 0xfffd ? 0x3000 : -1;
  if (index < 0) return -1;
  let c = t.chars[index];
  if (c !== -2) return c;
  c = -1;
  const ch = String.fromCharCode(code);
  const glyph = code === 0x20 || !special.test(ch) ? face.glyphForCodePoint(code) : undefined;
  if (glyph && glyph.id !== 0) {
    const script = face.layout(ch).script;
    // alone, under either script, the glyph must come out as itself with its own advance
    const plain = [t.latin, t.common].every((s) => {
      const run = face.layout(ch, undefined, s);
      const p = run.positions[0];
      return run.glyphs.length === 1 && run.glyphs[0].id === glyph.id && p.xAdvance === glyph.advanceWidth && p.xOffset === 0 && p.yOffset === 0;
    });
    if (plain && (script === t.latin || script === t.common)) c = glyph.advanceWidth * 2 + (script === t.latin ? 1 : 0);
  }
  t.chars[index] = c;
  return c;
}

function pairOf(t: Tables, face: Face, a: number, b: number, latin: boolean): [number, number] | null {
  const pairs = latin ? t.latinPairs : t.commonPairs;
  const key = a * 65536 + b;
  let p = pairs.get(key);
  if (p === undefined) {
    const run = face.layout(String.fromCharCode(a, b), undefined, latin ? t.latin : t.common);
    const ga = face.glyphForCodePoint(a);
    const gb = face.glyphForCodePoint(b);
    const [pa, pb] = run.positions;
    const kerned = run.glyphs.length === 2 && run.glyphs[0].id === ga.id && run.glyphs[1].id === gb.id && pa.xOffset === 0 && pa.yOffset === 0 && pb.xOffset === 0 && pb.yOffset === 0;
    p = kerned ? [pa.xAdvance - ga.advanceWidth, pb.xAdvance - gb.advanceWidth] : null;
    pairs.set(key, p);
  }
  return p;
}

/** fontkit's advance of text[start, end) in pdfkit's units (1/1000 of the size), or undefined. */
function chunkWidth(t: Tables, face: Face, text: string, start: number, end: number): number | undefined {
  // fontkit takes a run's script from its first character that has one: here Latin if any is (the only script admitted)
  let latin = false;
  for (let i = start; i < end; i++) {
    const c = charOf(t, face, text.charCodeAt(i));
    if (c < 0) return undefined;
    if (c & 1) latin = true;
  }
  let width = 0;
  let carry = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    let advance = (charOf(t, face, code) >> 1) + carry;
    carry = 0;
    if (i + 1 < end) {
      const pair = pairOf(t, face, code, text.charCodeAt(i + 1), latin);
      if (!pair) return undefined;
      advance += pair[0];
      carry = pair[1];
    }
    // pdfkit scales each glyph's advance, then fontkit's GlyphRun sums them
    width += advance * t.scale;
  }
  return width;
}

/**
 * The width pdfkit's `doc.widthOfString(text)` gives for `text` in `face` at
 * `size` (no character spacing, no features), or undefined where only a full
 * layout can tell.
 */
export function fastWidth(face: Face, text: string, size: number): number | undefined {
  const t = tablesOf(face);
  let total = 0;
  // pdfkit lays a string out in pieces that end after each space, and adds their widths
  for (let start = 0; start < text.length; ) {
    const space = text.indexOf(' ', start);
    const end = space < 0 ? text.length : space + 1;
    const w = chunkWidth(t, face, text, start, end);
    if (w === undefined) return undefined;
    total += w;
    start = end;
  }
  // the same operations as EmbeddedFont.widthOfString and the document's widthOfString
  return (total * (size / 1000) * 100) / 100;
}
