// A small layout layer over pdfkit: evident wraps every line itself and places
// it at an explicit position, so it always knows how tall a block is, where a
// page ends and when a table must repeat its header. pdfkit's own wrapping and
// automatic page breaks are never used (lineBreak: false everywhere), so no text
// can run past the bottom margin or off the right edge.

import { rememberFace } from './fonts.ts';
import { fastWidth, type Face } from './measure.ts';

export type FontName = 'regular' | 'bold' | 'italic' | 'mono' | 'monoBold';

type PdfFace = Face & { hasGlyphForCodePoint: (codePoint: number) => boolean };

export interface Run {
  text: string;
  font?: FontName;
  color?: string;
}

interface Segment {
  text: string;
  font: FontName;
  color: string;
  width: number;
}

export interface Line {
  segments: Segment[];
  width: number;
}

export const colors = {
  text: '#1f2328',
  muted: '#57606a',
  rule: '#d0d7de',
  headerFill: '#eaeef2',
  zebra: '#f6f8fa',
  accent: '#0b3d91',
};

export const statusColor: Record<string, string> = {
  PASSED: '#1a7f37',
  GRACE: '#0969da',
  EXPIRED: '#9a6700',
  MISSING: '#bc4c00',
  FAILED: '#cf222e',
  EXCEPTION: '#8250df',
  NOT_APPLICABLE: '#6e7781',
  INACTIVE: '#6e7781',
};

/** A4 in points, with room for the running header and the footer outside the text area. */
export const pageGeometry = { width: 595.28, height: 841.89, top: 62, bottom: 62, left: 56, right: 56 };

const lineFactor = 1.3;

/** Content strings are plain text: no control characters, no bidi overrides, well-formed UTF-16. */
export function cleanText(text: string): string {
  return String(text)
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufe00-\ufe0f\ufeff]/g, '');
}

export interface TableColumn {
  header: string;
  /** Share of the available width (all shares are normalised). */
  width: number;
  font?: FontName;
  size?: number;
}

export type Cell = string | Run[];

// pdfkit keeps fontkit's layout of every piece of text it draws, per document
// and font; the packets of one run draw mostly the same text (the "all" packet
// repeats every framework's), so documents share it per font. Bounded: started
// afresh, between documents, once it holds `layoutsMax` pieces.
const layouts = new WeakMap<object, Record<string, unknown>>();
const layoutsMax = 100_000;

function sharedLayouts(face: object): Record<string, unknown> {
  let cache = layouts.get(face);
  if (!cache || Object.keys(cache).length >= layoutsMax) layouts.set(face, (cache = Object.create(null) as Record<string, unknown>));
  return cache;
}

export class Layout {
  readonly doc: PDFKit.PDFDocument;
  y = pageGeometry.top;
  readonly left = pageGeometry.left;
  readonly width = pageGeometry.width - pageGeometry.left - pageGeometry.right;
  readonly top = pageGeometry.top;
  readonly bottom = pageGeometry.height - pageGeometry.bottom;
  /** Text of the running header on pages after the cover. */
  header = '';
  private widths = new Map<string, number>();
  private glyphs = new Map<string, boolean>();
  private faces = new Map<FontName, PdfFace>();
  /** Called after a page break inside a table, to repeat its header. */
  private continuation: (() => void) | null = null;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  /** Zero-based index of the current page. */
  get page(): number {
    return this.doc.bufferedPageRange().count - 1;
  }

  get remaining(): number {
    return this.bottom - this.y;
  }

  newPage(options: { header?: boolean } = {}): void {
    this.doc.addPage({ size: [pageGeometry.width, pageGeometry.height], margin: 0 });
    this.y = this.top;
    if (options.header !== false && this.header) {
      this.drawText(this.header, this.left, pageGeometry.top - 30, { size: 7.5, color: colors.muted, width: this.width });
      this.doc.save().moveTo(this.left, pageGeometry.top - 18).lineTo(this.left + this.width, pageGeometry.top - 18).lineWidth(0.5).strokeColor(colors.rule).stroke().restore();
    }
    if (this.continuation) this.continuation();
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  gap(height: number): void {
    this.y = Math.min(this.y + height, this.bottom);
  }

  lineHeight(size: number): number {
    return size * lineFactor;
  }

  /** The fontkit font behind `font` in this document (the first call also embeds it, as `doc.font` does). */
  private face(font: FontName): PdfFace {
    let face = this.faces.get(font);
    if (!face) {
      const embedded = (this.doc.font(font) as unknown as { _font: { font: PdfFace; layoutCache?: Record<string, unknown> } })._font;
      face = embedded.font;
      this.faces.set(font, face);
      rememberFace(font, face);
      if (embedded.layoutCache) embedded.layoutCache = sharedLayouts(face);
    }
    return face;
  }

  /** The width pdfkit's widthOfString gives, from advance widths and kerning pairs where that gives the same (see measure.ts). */
  measure(text: string, font: FontName, size: number): number {
    // cheaper than a cache lookup, so only the full layouts are remembered
    const fast = fastWidth(this.face(font), text, size);
    if (fast !== undefined) return fast;
    const key = `${font}\u0000${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(font).fontSize(size).widthOfString(text);
      this.widths.set(key, w);
    }
    return w;
  }

  /**
   * Characters the font has no glyph for (CJK with DejaVu) become U+FFFD: a
   * reference to the .notdef glyph is not allowed in PDF/A, and such a glyph
   * would not extract as text anyway.
   */
  covered(text: string, font: FontName): string {
    if (/^[\x20-\x7e\n]*$/.test(text)) return text;
    const face = this.face(font);
    let out = '';
    for (const ch of text) {
      const key = `${font}\u0000${ch}`;
      let has = this.glyphs.get(key);
      if (has === undefined) {
        has = ch === '\n' || face.hasGlyphForCodePoint(ch.codePointAt(0)!);
        this.glyphs.set(key, has);
      }
      out += has ? ch : '\ufffd';
    }
    return /\p{M}/u.test(out) ? this.layable(out, font) : out;
  }

  /**
   * fontkit fails to lay out some mark sequences (in DejaVu Sans Mono, "ë"
   * followed by a combining diaeresis): such text is drawn decomposed, or
   * without its marks, rather than stopping the packet.
   */
  private layable(text: string, font: FontName): string {
    const face = this.face(font);
    const lays = (t: string) => {
      try {
        face.layout(t);
        return true;
      } catch {
        return false;
      }
    };
    if (lays(text)) return text;
    // Only the clusters that fail change: a base character with its marks.
    return text.replace(/\P{M}\p{M}+/gu, (cluster) => (lays(cluster) ? cluster : lays(cluster.normalize('NFD')) ? cluster.normalize('NFD') : cluster.replace(/\p{M}/gu, '')));
  }

  /** Greedy wrapping of styled runs into lines no wider than `width`; a token wider than a line is cut. */
  wrap(runs: Run[] | string, size: number, width: number, options: { font?: FontName; color?: string; preserveSpaces?: boolean } = {}): Line[] {
    const list: Run[] = typeof runs === 'string' ? [{ text: runs }] : runs;
    const lines: Line[] = [];
    let current: Segment[] = [];
    let currentWidth = 0;
    const push = () => {
      while (current.length && !options.preserveSpaces && /^\s+$/.test(current[current.length - 1].text)) currentWidth -= current.pop()!.width;
      lines.push({ segments: current, width: currentWidth });
      current = [];
      currentWidth = 0;
    };
    const add = (text: string, font: FontName, color: string, w: number) => {
      const last = current[current.length - 1];
      if (last && last.font === font && last.color === color) {
        last.text += text;
        last.width += w;
      } else current.push({ text, font, color, width: w });
      currentWidth += w;
    };
    for (const run of list) {
      const font = run.font ?? options.font ?? 'regular';
      const color = run.color ?? options.color ?? colors.text;
            const text = this.covered(cleanText(run.text), font);
      // words, runs of spaces, newlines; a path may also break after a slash, an address after its @
      for (const token of text.match(/\n|[ ]+|[^ \n/\\@]+[/\\@]*|[/\\@]+/g) ?? []) {
        if (token === '\n') {
          push();
          continue;
        }
        const isSpace = token.trim() === '';
        if (isSpace && !current.length && !options.preserveSpaces) continue;
        const w = this.measure(token, font, size);
        if (currentWidth + w <= width) {
          add(token, font, color, w);
          continue;
        }
        if (isSpace) {
          push();
          continue;
        }
        if (current.length) push();
        if (w <= width) {
          add(token, font, color, w);
          continue;
        }
        // a token longer than a whole line (a hash, a long path): cut it by characters
        let piece = '';
        let pieceWidth = 0;
        for (const ch of token) {
          const cw = this.measure(ch, font, size);
          if (piece && pieceWidth + cw > width - 0.5) {
            add(piece, font, color, this.measure(piece, font, size));
            push();
            piece = '';
            pieceWidth = 0;
          }
          piece += ch;
          pieceWidth += cw;
        }
        if (piece) add(piece, font, color, this.measure(piece, font, size));
      }
    }
    if (current.length || !lines.length) push();
    return lines;
  }

  /** Draws one wrapped line at (x, y). */
  drawLine(line: Line, x: number, y: number, size: number): void {
    let cursor = x;
    for (const seg of line.segments) {
      const lead = seg.text.match(/^ +/)?.[0] ?? '';
      const text = seg.text.slice(lead.length);
      const offset = lead ? this.measure(lead, seg.font, size) : 0;
      if (text) this.doc.font(seg.font).fontSize(size).fillColor(seg.color).text(text, cursor + offset, y, { lineBreak: false });
      cursor += seg.width;
    }
  }

  /** One line of plain text, cut to `width` if it is longer. */
  drawText(text: string, x: number, y: number, options: { size: number; font?: FontName; color?: string; width: number; align?: 'left' | 'right' | 'center' }): void {
    const line = this.wrap(text, options.size, options.width, { font: options.font, color: options.color })[0];
    const dx = options.align === 'right' ? options.width - line.width : options.align === 'center' ? (options.width - line.width) / 2 : 0;
    this.drawLine(line, x + dx, y, options.size);
  }

  /** Wrapped text that breaks across pages line by line. */
  paragraph(runs: Run[] | string, options: { size?: number; font?: FontName; color?: string; indent?: number; after?: number; preserveSpaces?: boolean; fill?: string } = {}): void {
    const size = options.size ?? 9;
    const indent = options.indent ?? 0;
    const lh = this.lineHeight(size);
    const lines = this.wrap(runs, size, this.width - indent - (options.fill ? 8 : 0), options);
    for (const line of lines) {
      this.ensure(lh);
      if (options.fill) this.doc.save().rect(this.left + indent, this.y, this.width - indent, lh).fill(options.fill).restore();
      this.drawLine(line, this.left + indent + (options.fill ? 4 : 0), this.y + (lh - size) / 2 - size * 0.08, size);
      this.y += lh;
    }
    this.gap(options.after ?? size * 0.5);
  }

  /** Height that `paragraph` would take without page breaks (for keep-together decisions). */
  paragraphHeight(runs: Run[] | string, options: { size?: number; indent?: number } = {}): number {
    const size = options.size ?? 9;
    return this.wrap(runs, size, this.width - (options.indent ?? 0)).length * this.lineHeight(size);
  }

  heading(text: string, level: 1 | 2 | 3 | 4, options: { color?: string; keep?: number } = {}): void {
    const size = [0, 17, 13, 10.5, 9.5][level];
    const before = [0, 0, 10, 8, 6][level];
    const lines = this.wrap(text, size, this.width, { font: 'bold' });
    const height = lines.length * this.lineHeight(size);
    // keep a heading with the first lines that follow it
    this.ensure(before + height + (options.keep ?? 40));
    if (this.y > this.top) this.gap(before);
    for (const line of lines) {
      for (const seg of line.segments) seg.color = options.color ?? (level <= 2 ? colors.accent : colors.text);
      this.drawLine(line, this.left, this.y, size);
      this.y += this.lineHeight(size);
    }
    if (level === 1) {
      this.doc.save().moveTo(this.left, this.y + 1).lineTo(this.left + this.width, this.y + 1).lineWidth(0.75).strokeColor(colors.accent).stroke().restore();
      this.gap(8);
    } else this.gap(3);
  }

  /** Label/value pairs in two columns. */
  facts(rows: [string, Cell][], options: { size?: number; labelWidth?: number } = {}): void {
    const size = options.size ?? 9;
    const labelWidth = options.labelWidth ?? 120;
    const lh = this.lineHeight(size);
    for (const [label, value] of rows) {
      const labelLines = this.wrap(label, size, labelWidth - 6, { font: 'bold', color: colors.muted });
      const valueLines = this.wrap(value, size, this.width - labelWidth);
      const n = Math.max(labelLines.length, valueLines.length);
      for (let i = 0; i < n; i++) {
        this.ensure(lh);
        if (labelLines[i]) this.drawLine(labelLines[i], this.left, this.y, size);
        if (valueLines[i]) this.drawLine(valueLines[i], this.left + labelWidth, this.y, size);
        this.y += lh;
      }
    }
    this.gap(size * 0.6);
  }

  /**
   * A table whose rows wrap; a row that does not fit moves to the next page,
   * a row taller than a page is split between lines, and the header row is
   * repeated on every page the table continues on.
   */
  table(columns: TableColumn[], rows: Cell[][], options: { size?: number; zebra?: boolean; after?: number } = {}): void {
    const size = options.size ?? 8;
    const lh = this.lineHeight(size);
    const pad = 3;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const wrapCell = (cell: Cell, i: number, font?: FontName) => this.wrap(cell, columns[i].size ?? size, widths[i] - 2 * pad, { font: font ?? columns[i].font });
    const headerLines = columns.map((c, i) => wrapCell(c.header, i, 'bold'));
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * lh + 2 * pad;
    const drawHeader = () => {
      this.doc.save().rect(this.left, this.y, this.width, headerHeight).fill(colors.headerFill).restore();
      headerLines.forEach((lines, i) => lines.forEach((line, j) => this.drawLine(line, xs[i] + pad, this.y + pad + j * lh, size)));
      this.y += headerHeight;
    };
    this.ensure(headerHeight + lh + 2 * pad);
    drawHeader();
    this.continuation = drawHeader;
    try {
      rows.forEach((row, r) => {
        const cells = row.map((cell, i) => wrapCell(cell, i));
        const count = Math.max(1, ...cells.map((l) => l.length));
        const height = count * lh + 2 * pad;
        const fresh = this.bottom - this.top - headerHeight - 30;
        if (height > this.remaining && height <= fresh) this.newPage();
        let done = 0;
        while (done < count) {
          let fit = Math.floor((this.remaining - 2 * pad) / lh);
          if (fit < Math.min(2, count - done)) {
            this.newPage();
            fit = Math.floor((this.remaining - 2 * pad) / lh);
          }
          const take = Math.min(fit, count - done);
          const h = take * lh + 2 * pad;
          if (options.zebra !== false && r % 2 === 1) this.doc.save().rect(this.left, this.y, this.width, h).fill(colors.zebra).restore();
          cells.forEach((lines, i) => {
            for (let j = 0; j < take; j++) {
              const line = lines[done + j];
              if (line) this.drawLine(line, xs[i] + pad, this.y + pad + j * lh, columns[i].size ?? size);
            }
          });
          this.y += h;
          this.doc.save().moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.3).strokeColor(colors.rule).stroke().restore();
          done += take;
        }
      });
    } finally {
      this.continuation = null;
    }
    this.gap(options.after ?? 8);
  }
}
