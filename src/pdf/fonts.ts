// The fonts every packet embeds: DejaVu, shipped by the dejavu-fonts-ttf npm
// package (Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic glyphs,
// symbols; no CJK). This is the only file the renderers read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontName } from './layout.ts';

const files: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  mono: 'DejaVuSansMono.ttf',
  monoBold: 'DejaVuSansMono-Bold.ttf',
};

let cache: Record<FontName, Buffer> | undefined;

export function loadFonts(): Record<FontName, Buffer> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    cache = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))])) as Record<FontName, Buffer>;
  }
  return cache;
}

const faces = new Map<FontName, object>();

/**
 * What a document registers a font with: the fontkit font an earlier document
 * parsed (pdfkit takes one in place of the bytes), else the bytes. Parsing once
 * per process, not per document, also keeps the glyphs fontkit decoded and the
 * kerning pairs measure.ts learnt.
 */
export function fontSource(name: FontName): Buffer | object {
  return faces.get(name) ?? loadFonts()[name];
}

/** Called with the fontkit font pdfkit opened for `name`. */
export function rememberFace(name: FontName, face: object): void {
  if (!faces.has(name)) faces.set(name, face);
}
