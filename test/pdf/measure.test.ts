// The fast text measure (src/pdf/measure.ts) must give exactly pdfkit's
// widthOfString, or decline: line breaks and positions in packets depend on it.
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/pdf/fonts.ts';
import { Layout, type FontName } from '../../src/pdf/layout.ts';
import { fastWidth, type Face } from '../../src/pdf/measure.ts';

const fontNames = Object.keys(loadFonts()) as FontName[];

function newDocument(): PDFKit.PDFDocument {
  const doc = new PDFDocument({ autoFirstPage: false });
  for (const [name, bytes] of Object.entries(loadFonts())) doc.registerFont(name, bytes);
  return doc;
}

const doc = newDocument();
const faceOf = (font: FontName) => (doc.font(font) as unknown as { _font: { font: Face } })._font.font;
const pdfkitWidth = (text: string, font: FontName, size: number) => doc.font(font).fontSize(size).widthOfString(text);

const samples = [
  'AV',
  'To',
  'AVAVA',
  'Type',
  'Yes, WAVE.',
  "L'Tâche",
  'Café crème, naïve façade, Ærøskøbing, Łódź, Šťastný, Ğüzel',
  '2026-03-16T06:00:00Z',
  'sha256:9f86d081884c7d659a2feaea0ff1ba0a',
  'src/pdf/layout.ts',
  'a  b   c    ',
  ' leading and trailing ',
  '“quoted” — dash – en … • ☐ ☑ → ≤ ≥ × · €',
  'file office affluent flow fjord',
  '\ufffd\ufffd',
  '',
];

// Text only a full layout measures right: ligatures, other scripts, marks, missing glyphs, tabs, emoji.
const declined = ['office', 'fi', 'Ελληνικά', 'Кириллица', 'עברית', 'عربي', 'e\u0301', 'Zoe\u0308', '漢字', '😀', 'a\tb', 'soft\u00adhyphen'];

describe('fastWidth', () => {
  it('equals widthOfString for Latin, accented Latin, digits, punctuation and kerning pairs', () => {
    for (const font of fontNames)
      for (const size of [6.5, 8, 9, 17])
        for (const text of samples) {
          const w = fastWidth(faceOf(font), text, size);
          if (/f[fil]/.test(text) && !font.startsWith('mono')) expect(w).toBeUndefined();
          else expect(w, `${font} ${size} ${JSON.stringify(text)}`).toBe(pdfkitWidth(text, font, size));
        }
  });

  it('applies kerning (the widths differ from the sum of the letters)', () => {
    const w = (t: string) => fastWidth(faceOf('regular'), t, 10)!;
    expect(w('AV')).toBeLessThan(w('A') + w('V'));
    expect(w('To')).toBeLessThan(w('T') + w('o'));
  });

  it('declines what needs a full layout', () => {
    for (const font of ['regular', 'bold', 'italic'] as FontName[]) for (const text of declined) expect(fastWidth(faceOf(font), text, 9), `${font} ${JSON.stringify(text)}`).toBeUndefined();
  });

  it('equals widthOfString for every pair of printable ASCII characters in every font', () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    for (const font of fontNames) {
      const face = faceOf(font);
      for (const a of ascii)
        for (const b of ascii) {
          const w = fastWidth(face, a + b, 9);
          if (w !== undefined) expect(w, `${font} ${JSON.stringify(a + b)}`).toBe(pdfkitWidth(a + b, font, 9));
        }
    }
  });

  it('equals widthOfString for random strings over Latin, symbols and a few other scripts', () => {
    const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_/\\@()[]{}\'"!?&%#*+=<>|~`^$', ...'àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿÀÉÖÜßĀăĄćČďĘěĞıŁńŐœŘśŠţŮűŸźŽ', ...'–—‘’“”•…→←≤≥×·€✓✗☐☑\ufffd\u00a0', 'Ω', 'Ж', '中', 'e\u0301'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let fast = 0;
    for (const font of fontNames) {
      const face = faceOf(font);
      for (let i = 0; i < 2000; i++) {
        const text = Array.from({ length: 1 + random(16) }, () => alphabet[random(alphabet.length)]).join('');
        const w = fastWidth(face, text, 8.5);
        if (w === undefined) continue;
        fast++;
        expect(w, `${font} ${JSON.stringify(text)}`).toBe(pdfkitWidth(text, font, 8.5));
      }
    }
    expect(fast).toBeGreaterThan(4000);
  });
});

describe('Layout.measure', () => {
  it('gives widthOfString for text on and off the fast path', () => {
    const layout = new Layout(newDocument());
    for (const font of fontNames) for (const text of [...samples, ...declined]) expect(layout.measure(text, font, 9)).toBe(pdfkitWidth(text, font, 9));
  });
});

describe('text fontkit cannot lay out', () => {
  it('is drawn decomposed instead of stopping the packet (ë + combining diaeresis in DejaVu Sans Mono)', () => {
    const d = newDocument();
    d.addPage();
    const layout = new Layout(d);
    const text = 'x = "\u00eb\u0308" # and \u00e9 stays composed';
    expect(() => d.font('mono').widthOfString(text)).toThrow(); // the fontkit failure this guards against
    const lines = layout.wrap([{ text, font: 'mono' }], 9, 400);
    expect(lines).toHaveLength(1);
    const drawn = lines[0].segments.map((s) => s.text).join('');
    expect(drawn).toContain('e\u0308\u0308');
    expect(drawn).toContain('\u00e9');
    expect(() => layout.drawLine(lines[0], 40, 40, 9)).not.toThrow();
  });
});
