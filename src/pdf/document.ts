// The frame every packet shares: fonts, document info and XMP, the cover, a
// table of contents on reserved pages (its length depends only on the entries,
// so it is known before the body is laid out), bookmarks mirroring it, the
// "Page X of Y" footers, the embedded manifest and attachments, and byte-stable
// output (fixed dates, an /ID derived from the bytes themselves).
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { fontSource, loadFonts } from './fonts.ts';
import { colors, Layout, pageGeometry, type FontName, type Line } from './layout.ts';
import type { Attachment, Manifest } from './types.ts';

export const manifestName = 'evident-manifest.json';

export interface SectionPlan {
  /** Unique id; also the named destination TOC links jump to. */
  id: string;
  title: string;
  level: 1 | 2;
  render: (layout: Layout, context: RenderContext) => void;
}

export interface RenderContext {
  /** 1-based page number of a section or anchor already laid out. */
  pageOf: (id: string) => number | undefined;
  /** Remembers the current page under `id` (for "see page N" references). */
  anchor: (id: string) => void;
}

export interface DocumentSpec {
  title: string;
  subject: string;
  author: string | null;
  keywords: string[];
  creationDate: Date;
  /** Extra document-information keys (EvidentPacket, EvidentCommit, …). */
  info: Record<string, string>;
  /** Running header on every page after the cover. */
  header: string;
  /** Left side of the footer. */
  footer: string;
  cover: (layout: Layout) => void;
  sections: SectionPlan[];
  manifest: Manifest;
  attachments: Attachment[];
}

const tocSize = 9.5;
const tocNumberWidth = 40;

/** Renders the whole document into memory and returns its bytes. */
export async function renderDocument(spec: DocumentSpec): Promise<Buffer> {
  const info: Record<string, unknown> = {
    Title: spec.title,
    Subject: spec.subject,
    ...(spec.author ? { Author: spec.author } : {}),
    Keywords: spec.keywords.join(', '),
    Creator: `evident ${spec.manifest.generator.version}`,
    Producer: 'evident with PDFKit',
    CreationDate: spec.creationDate,
    ModDate: spec.creationDate,
    ...spec.info,
  };
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: 'en',
    displayTitle: true,
    compress: true,
    info: info as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  // Filled in after rendering with a hash of the bytes (see patchId).
  (doc as unknown as { _id: Uint8Array })._id = new Uint8Array(16);
  writeXmpInfo(doc, spec);
  // the bytes, or the fontkit font an earlier document parsed (pdfkit takes either; its types know only the bytes)
  for (const name of Object.keys(loadFonts()) as FontName[]) doc.registerFont(name, fontSource(name) as Buffer);
  doc.font('regular');

  const layout = new Layout(doc);
  layout.newPage({ header: false });
  spec.cover(layout);

  // reserve the contents pages
  const entries = spec.sections.map((s) => ({ ...s, lines: [] as Line[] }));
  for (const e of entries) e.lines = layout.wrap(e.title, tocSize, layout.width - tocNumberWidth - (e.level === 2 ? 16 : 0), { font: e.level === 1 ? 'bold' : 'regular' });
  const placement = placeToc(layout, entries);
  const tocFirst = layout.page + 1;
  layout.header = spec.header;
  for (let i = 0; i < placement.pages; i++) layout.newPage();

  const pages = new Map<string, { page: number; y: number }>();
  const context: RenderContext = {
    pageOf: (id) => (pages.has(id) ? pages.get(id)!.page + 1 : undefined),
    anchor: (id) => void pages.set(id, { page: layout.page, y: layout.y }),
  };
  for (const section of spec.sections) {
    if (section.level === 1) layout.newPage();
    else layout.ensure(100);
    pages.set(section.id, { page: layout.page, y: layout.y });
    doc.addNamedDestination(section.id, 'XYZ', 0, layout.y, null);
    layout.heading(section.title, section.level === 1 ? 1 : 2);
    section.render(layout, context);
  }
  const total = layout.page + 1;

  drawToc(layout, entries, placement, tocFirst, pages, total);
  addOutline(doc, tocFirst, spec.sections, pages);
  drawFooters(layout, spec.footer, total);

  const json = Buffer.from(JSON.stringify(spec.manifest, null, 2) + '\n', 'utf8');
  doc.file(json, {
    name: manifestName,
    type: 'application/json',
    description: 'evident evidence manifest: path, SHA-256 and commit of every file behind this packet',
    creationDate: spec.creationDate,
    modifiedDate: spec.creationDate,
    relationship: 'Supplement',
  } as PDFKit.Mixins.PDFAttachmentOptions);
  for (const a of [...spec.attachments].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))) {
    doc.file(Buffer.from(a.bytes), {
      name: a.path,
      type: mimeType(a.path),
      description: `Evidence file ${a.path}`,
      creationDate: spec.creationDate,
      modifiedDate: spec.creationDate,
      relationship: 'Data',
    } as PDFKit.Mixins.PDFAttachmentOptions);
  }
  doc.end();
  await done;
  return patchId(Buffer.concat(chunks));
}

interface TocEntry extends SectionPlan {
  lines: Line[];
}

interface TocPlacement {
  pages: number;
  at: { page: number; y: number }[];
  footerAt: { page: number; y: number };
}

/** Where each contents entry goes on the reserved pages; the same walk counts the pages and draws them. */
function placeToc(layout: Layout, entries: TocEntry[]): TocPlacement {
  const lh = layout.lineHeight(tocSize);
  let page = 0;
  let y = layout.top + 34;
  const at: { page: number; y: number }[] = [];
  for (const e of entries) {
    const h = e.lines.length * lh + (e.level === 1 ? 5 : 1);
    if (y + h > layout.bottom) {
      page++;
      y = layout.top;
    }
    at.push({ page, y: y + (e.level === 1 ? 4 : 0) });
    y += h;
  }
  if (y + 3 * lh > layout.bottom) {
    page++;
    y = layout.top;
  }
  return { pages: page + 1, at, footerAt: { page, y: y + lh } };
}

function drawToc(layout: Layout, entries: TocEntry[], placement: TocPlacement, first: number, pages: Map<string, { page: number; y: number }>, total: number): void {
  const { doc } = layout;
  const lh = layout.lineHeight(tocSize);
  doc.switchToPage(first);
  doc.addNamedDestination('contents', 'XYZ', 0, layout.top, null);
  layout.drawText('Contents', layout.left, layout.top, { size: 17, font: 'bold', color: colors.accent, width: layout.width });
  entries.forEach((e, i) => {
    const { page, y } = placement.at[i];
    doc.switchToPage(first + page);
    const indent = e.level === 2 ? 16 : 0;
    e.lines.forEach((line, j) => layout.drawLine(line, layout.left + indent, y + j * lh, tocSize));
    const target = pages.get(e.id);
    const number = target ? String(target.page + 1) : '?';
    const lastY = y + (e.lines.length - 1) * lh;
    const lastWidth = e.lines[e.lines.length - 1].width;
    // dot leader between the title and its page number
    const dotsFrom = layout.left + indent + lastWidth + 4;
    const dotsTo = layout.left + layout.width - tocNumberWidth + 4;
    if (dotsTo > dotsFrom) {
      const dot = layout.measure('.', 'regular', tocSize);
      const dots = '.'.repeat(Math.max(0, Math.floor((dotsTo - dotsFrom) / (dot + 0.4))));
      doc.font('regular').fontSize(tocSize).fillColor(colors.rule).text(dots, dotsFrom, lastY, { lineBreak: false, characterSpacing: 0.4 });
    }
    layout.drawText(number, layout.left + layout.width - tocNumberWidth, lastY, { size: tocSize, width: tocNumberWidth, align: 'right', font: e.level === 1 ? 'bold' : 'regular' });
    doc.goTo(layout.left, y, layout.width, e.lines.length * lh, e.id);
  });
  doc.switchToPage(first + placement.footerAt.page);
  layout.drawText(`This packet has ${total} pages.`, layout.left, placement.footerAt.y, { size: 8.5, color: colors.muted, width: layout.width });
}

function addOutline(doc: PDFKit.PDFDocument, tocFirst: number, sections: SectionPlan[], pages: Map<string, { page: number; y: number }>): void {
  // pdfkit computes an XYZ destination's left as (page width - options.left), so pass the page width for x = 0
  const dest = (page: number, y: number) => ({ pageNumber: page, fit: false, top: y, left: pageGeometry.width, zoom: 0 });
  type Outline = { addItem: (title: string, options: object) => Outline };
  const root = doc.outline as unknown as Outline;
  root.addItem('Contents', dest(tocFirst, pageGeometry.top));
  let parent: Outline = root;
  for (const s of sections) {
    const at = pages.get(s.id);
    if (!at) continue;
    const item = (s.level === 1 ? root : parent).addItem(s.title, dest(at.page, at.y));
    if (s.level === 1) parent = item;
  }
}

function drawFooters(layout: Layout, footer: string, total: number): void {
  const y = pageGeometry.height - pageGeometry.bottom + 24;
  for (let i = 0; i < total; i++) {
    layout.doc.switchToPage(i);
    layout.doc.save().moveTo(layout.left, y - 6).lineTo(layout.left + layout.width, y - 6).lineWidth(0.5).strokeColor(colors.rule).stroke().restore();
    layout.drawText(footer, layout.left, y, { size: 7.5, color: colors.muted, width: layout.width - 90 });
    layout.drawText(`Page ${i + 1} of ${total}`, layout.left + layout.width - 90, y, { size: 7.5, color: colors.muted, width: 90, align: 'right' });
  }
}

/** pdfkit writes its XMP packet without escaping; write the same properties escaped (PDF/A wants them to match the info dictionary). */
function writeXmpInfo(doc: PDFKit.PDFDocument, spec: DocumentSpec): void {
  const date = spec.creationDate.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const target = doc as unknown as { _addInfo: () => void; appendXML: (xml: string) => void };
  target._addInfo = () => {
    target.appendXML(
      [
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        `<xmp:CreateDate>${date}</xmp:CreateDate>`,
        `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
        `<xmp:CreatorTool>${x(`evident ${spec.manifest.generator.version}`)}</xmp:CreatorTool>`,
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        '<dc:format>application/pdf</dc:format>',
        `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(spec.title)}</rdf:li></rdf:Alt></dc:title>`,
        ...(spec.author ? [`<dc:creator><rdf:Seq><rdf:li>${x(spec.author)}</rdf:li></rdf:Seq></dc:creator>`] : []),
        `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${x(spec.subject)}</rdf:li></rdf:Alt></dc:description>`,
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        '<pdf:Producer>evident with PDFKit</pdf:Producer>',
        `<pdf:Keywords>${x(spec.keywords.join(', '))}</pdf:Keywords>`,
        '</rdf:Description>',
      ].join('\n'),
    );
  };
}

/** Replaces the all-zero trailer /ID with the first 16 bytes of the SHA-256 of the document as written. */
function patchId(bytes: Buffer): Buffer {
  const placeholder = '<' + '00'.repeat(16) + '>';
  const trailer = bytes.lastIndexOf('trailer');
  const text = bytes.subarray(trailer).toString('latin1');
  const at = text.indexOf(`/ID [${placeholder} ${placeholder}]`);
  if (trailer < 0 || at < 0) throw new Error('pdf: the document trailer has no placeholder /ID');
  const id = '<' + createHash('sha256').update(bytes).digest('hex').slice(0, 32) + '>';
  const out = Buffer.from(bytes);
  out.write(`/ID [${id} ${id}]`, trailer + at, 'latin1');
  return out;
}

function mimeType(path: string): string {
  const ext = path.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  const types: Record<string, string> = { json: 'application/json', xml: 'application/xml', md: 'text/markdown', txt: 'text/plain', yaml: 'application/yaml', yml: 'application/yaml', pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', sarif: 'application/sarif+json', csv: 'text/csv', html: 'text/html' };
  return types[ext] ?? 'application/octet-stream';
}
