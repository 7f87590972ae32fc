// One measured step of scripts/bench.ts, run in a fresh Node process so that
// each figure starts from the same state (no JIT warm-up, caches or heap left
// over from another step):
//
//   node scripts/lib/bench-worker.ts STEP '{"json": "arguments"}'
//
// The last line on stdout is the step's result as JSON. Times are wall-clock
// milliseconds of the measured work only: module loading and process start-up
// are outside them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { boundHeapForLargeContent } from '../../src/load/heap.ts';
import { enableCompileCache } from '../../src/load/cache-dir.ts';

export type Step = 'parse-baseline' | 'evaluate' | 'history' | 'portal' | 'bare-astro' | 'pdf' | 'bare-pdf';

const since = (start: number) => performance.now() - start;
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

/** Every file under evidence/ of the work tree, sorted. */
function evidenceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk('evidence');
  return out;
}

// The options evident's XML reader uses, without its validation pass and entity handling (as scripts/bench-readers.ts).
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true });
const decoder = new TextDecoder();

/** The plain parse a tool with no evident would do: JSON.parse, or fast-xml-parser for XML; other text is only decoded. */
function plainParse(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') return JSON.parse(text);
  if (first === '<') return xmlParser.parse(text);
  return text;
}

/** Earlier blob versions of current evidence paths, as evident reads them (git log --raw over evidence/). */
function earlierBlobs(root: string, current: Set<string>): string[] {
  const out = execFileSync('git', ['log', '--raw', '--no-abbrev', '--no-renames', '--format=', '--', 'evidence'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const headBlobs = new Map<string, string>();
  for (const line of execFileSync('git', ['ls-tree', '-r', 'HEAD', '--', 'evidence'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
    if (m) headBlobs.set(m[2]!, m[1]!);
  }
  // one entry per path and version, as evident reads them (the same bytes under two paths are read twice)
  const versions = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) [AM]\t(.*)$/.exec(line);
    if (m && current.has(m[2]!) && headBlobs.get(m[2]!) !== m[1]) versions.add(`${m[2]}\0${m[1]}`);
  }
  return [...versions].sort().map((v) => v.split('\0')[1]!);
}

/**
 * Reads blobs with one `git cat-file --batch`, each handed to `each` once
 * complete: an object's chunks are joined once (joining at every chunk would
 * copy a megabyte-sized SBOM again and again, which no plain reader does).
 */
async function readBlobs(root: string, blobs: string[], each: (bytes: Buffer) => void): Promise<void> {
  const proc = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
  let header: Buffer = Buffer.alloc(0);
  let parts: Buffer[] = [];
  let got = 0;
  let expecting: number | undefined;
  let remaining = blobs.length;
  const done = new Promise<void>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', () => (remaining > 0 ? reject(new Error(`git cat-file ended with ${remaining} objects unread`)) : resolve()));
    proc.stdout.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        if (expecting === undefined) {
          const nl = chunk.indexOf(10, at);
          if (nl < 0) {
            header = Buffer.concat([header, chunk.subarray(at)]);
            return;
          }
          const line = Buffer.concat([header, chunk.subarray(at, nl)]).toString();
          header = Buffer.alloc(0);
          at = nl + 1;
          if (line.endsWith(' missing')) {
            if (--remaining === 0) resolve();
            continue;
          }
          expecting = Number(line.split(' ')[2]);
          parts = [];
          got = 0;
        }
        // The object's bytes and the newline after them.
        const take = Math.min(expecting + 1 - got, chunk.length - at);
        parts.push(chunk.subarray(at, at + take));
        got += take;
        at += take;
        if (got === expecting + 1) {
          const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
          each(whole.subarray(0, expecting));
          expecting = undefined;
          parts = [];
          if (--remaining === 0) resolve();
        }
      }
    });
    if (blobs.length === 0) resolve();
  });
  proc.stdin.end(blobs.map((b) => `${b}\n`).join(''));
  await done;
}

async function parseBaseline(args: { root: string }) {
  const files = evidenceFiles(args.root);
  let bytes = 0;
  let start = performance.now();
  // Synchronous reads, as evident's own: the promise API's round trips per file took more than twice as
  // long at size M (1.29–1.53 s against 0.55–0.60 s), which is not the floor.
  for (const f of files) {
    const b = readFileSync(path.join(args.root, f));
    bytes += b.length;
    plainParse(b);
  }
  const currentMs = since(start);
  const blobs = earlierBlobs(args.root, new Set(files));
  let historyBytes = 0;
  start = performance.now();
  await readBlobs(args.root, blobs, (b) => {
    historyBytes += b.length;
    plainParse(b);
  });
  const historyMs = since(start);
  return { files: files.length, bytes, currentMs, earlierVersions: blobs.length, historyBytes, historyMs, totalMs: currentMs + historyMs };
}

async function evaluateStep(args: { root: string; now: string; cacheDir?: string; threads?: number }) {
  const start = performance.now();
  // `threads` (not set by the bench) compares parser thread counts in one-off runs.
  const { model, verdicts } = await loadModel(args.root, { ...(args.cacheDir ? { cacheDir: args.cacheDir } : {}), ...(args.threads ? { threads: args.threads } : {}) });
  const loadMs = since(start);
  const { report } = await evaluate(model, { now: args.now, version: 'bench', ...(verdicts ? { memo: verdicts } : {}) });
  verdicts?.flush(); // part of the run: the next one reads them
  const totalMs = since(start);
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  return {
    loadMs,
    evaluateMs: totalMs - loadMs,
    totalMs,
    maxRssMB: maxRssMB(),
    evidence: model.evidence.length,
    earlierVersions: model.evidenceHistory.length,
    errors: errors.length,
    firstErrors: errors.slice(0, 5).map((d) => `${d.file}: ${d.message}`),
    products: report.products.length,
    results: report.products.reduce((n, p) => n + p.results.length, 0),
  };
}

async function historyStep(args: { root: string; max: number; cacheDir: string; until?: string; scores?: boolean }) {
  const { historyRows } = await import('../../src/cli/commands/history.ts');
  const start = performance.now();
  const rows = await historyRows(args.root, { max: args.max, cacheDir: args.cacheDir, ...(args.until ? { until: args.until } : {}), ...(args.scores === false ? { scores: false } : {}) });
  return { commits: rows.length, totalMs: since(start), maxRssMB: maxRssMB() };
}

async function portalStep(args: { root: string; now: string; cacheDir: string; outDir: string }) {
  const { buildPortal } = await import('../../src/portal/build-portal.ts');
  // Module loading is outside every timing (the bare site's Astro is loaded before its clock starts too).
  await import('astro');
  await import('pagefind');
  const { model, verdicts } = await loadModel(args.root, { cacheDir: args.cacheDir });
  const { report } = await evaluate(model, { now: args.now, version: 'bench', ...(verdicts ? { memo: verdicts } : {}) });
  const start = performance.now();
  const { pages } = await buildPortal({ report, model, outDir: args.outDir, public: false });
  return { pages, totalMs: since(start), maxRssMB: maxRssMB() };
}

/** A bare Astro site: one [slug].astro over a JSON file, `pages` pages, built with the same programmatic build(). */
async function bareAstroStep(args: { dir: string; pages: number; nodeModules: string }) {
  mkdirSync(path.join(args.dir, 'src/pages'), { recursive: true });
  const { symlinkSync } = await import('node:fs');
  symlinkSync(args.nodeModules, path.join(args.dir, 'node_modules'), 'dir');
  const items = Array.from({ length: args.pages }, (_, i) => ({ slug: `page-${i}`, title: `Page ${i}`, body: `Control ${i} of the synthetic portal, with its status and the requirements behind it.`, rows: Array.from({ length: 10 }, (_, j) => ({ name: `requirement-${j}`, status: j % 3 === 0 ? 'FAILED' : 'PASSED' })) }));
  writeFileSync(path.join(args.dir, 'src/pages.json'), JSON.stringify(items));
  writeFileSync(
    path.join(args.dir, 'src/pages/[slug].astro'),
    `---
import items from '../pages.json';
export function getStaticPaths() {
  return items.map((item) => ({ params: { slug: item.slug }, props: { item } }));
}
const { item } = Astro.props;
---
<html lang="en"><head><meta charset="utf-8"><title>{item.title}</title></head>
<body><h1>{item.title}</h1><p>{item.body}</p>
<table><tbody>{item.rows.map((r) => <tr><th>{r.name}</th><td>{r.status}</td></tr>)}</tbody></table>
</body></html>
`,
  );
  const { build } = await import('astro');
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.chdir(args.dir);
  const start = performance.now();
  await build({ root: args.dir, outDir: path.join(args.dir, 'dist'), configFile: false, logLevel: 'warn', devToolbar: { enabled: false }, integrations: [], build: { format: 'directory' } } as Record<string, unknown>);
  const totalMs = since(start);
  let pages = 0;
  for (const e of readdirSync(path.join(args.dir, 'dist'), { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.html')) pages++;
  return { pages, totalMs, maxRssMB: maxRssMB() };
}

interface CapturedText {
  page: number;
  text: string;
  x: number;
  y: number;
  size: number;
}

/**
 * Audit packets of the first `products` products with writePackets: timed, then
 * rendered once more with pdfkit's text() recorded, so that the bare document
 * can draw exactly the same strings at the same places on the same pages.
 */
async function pdfStep(args: { root: string; now: string; cacheDir: string; outDir: string; products: number; capture: string }) {
  const { writePackets } = await import('../../src/pdf/write-packets.ts');
  const { model, verdicts } = await loadModel(args.root, { cacheDir: args.cacheDir });
  const { report } = await evaluate(model, { now: args.now, version: 'bench', ...(verdicts ? { memo: verdicts } : {}) });
  const products = report.products.slice(0, args.products).map((p) => p.name);
  const start = performance.now();
  const files = await writePackets(report, model, args.outDir, { products });
  const totalMs = since(start);
  const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);

  // Untimed capture pass.
  const PDFDocument = (await import('pdfkit')).default as unknown as { prototype: Record<string, any> };
  const proto = PDFDocument.prototype;
  const original = proto.text;
  const documents: { pages: number; texts: CapturedText[] }[] = [];
  const byDoc = new WeakMap<object, { pages: number; texts: CapturedText[] }>();
  proto.text = function (this: any, text: unknown, x?: number, y?: number, options?: unknown) {
    let entry = byDoc.get(this);
    if (!entry) {
      entry = { pages: 0, texts: [] };
      byDoc.set(this, entry);
      documents.push(entry);
    }
    const range = this.bufferedPageRange();
    const page = range.start + this._pageBuffer.indexOf(this.page);
    entry.pages = Math.max(entry.pages, range.count);
    entry.texts.push({ page, text: String(text), x: x ?? this.x, y: y ?? this.y, size: this._fontSize });
    return original.call(this, text, x, y, options);
  };
  await writePackets(report, model, path.join(args.outDir, 'capture'), { products });
  proto.text = original;
  writeFileSync(args.capture, JSON.stringify(documents));
  const pages = documents.reduce((n, d) => n + d.pages, 0);
  return { packets: files.length, pages, bytes, totalMs, pagesPerSecond: pages / (totalMs / 1000), maxRssMB: maxRssMB() };
}

/** The same strings, at the same places, on the same pages, with DejaVuSans embedded: pdfkit with nothing around it. */
async function barePdfStep(args: { capture: string; outDir: string }) {
  const PDFDocument = (await import('pdfkit')).default;
  const { createRequire } = await import('node:module');
  const font = readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const documents = JSON.parse(readFileSync(args.capture, 'utf8')) as { pages: number; texts: CapturedText[] }[];
  mkdirSync(args.outDir, { recursive: true });
  const start = performance.now();
  let bytes = 0;
  for (const [i, d] of documents.entries()) {
    const doc = new PDFDocument({ autoFirstPage: false, compress: true, bufferPages: true });
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve());
    });
    doc.registerFont('regular', font);
    for (let p = 0; p < d.pages; p++) doc.addPage({ size: [595.28, 841.89], margin: 0 });
    doc.font('regular');
    for (const t of d.texts) {
      doc.switchToPage(t.page);
      doc.fontSize(t.size).text(t.text, t.x, t.y, { lineBreak: false });
    }
    doc.end();
    await done;
    const out = Buffer.concat(chunks);
    bytes += out.length;
    writeFileSync(path.join(args.outDir, `bare-${i}.pdf`), out);
  }
  const totalMs = since(start);
  const pages = documents.reduce((n, d) => n + d.pages, 0);
  return { documents: documents.length, pages, bytes, totalMs, pagesPerSecond: pages / (totalMs / 1000), maxRssMB: maxRssMB() };
}

const steps: Record<Step, (args: any) => Promise<unknown>> = {
  'parse-baseline': parseBaseline,
  evaluate: evaluateStep,
  history: historyStep,
  portal: portalStep,
  'bare-astro': bareAstroStep,
  pdf: pdfStep,
  'bare-pdf': barePdfStep,
};

if (import.meta.main) {
  const [step, json] = process.argv.slice(2);
  const run = steps[step as Step];
  if (!run) {
    process.stderr.write(`usage: node scripts/lib/bench-worker.ts ${Object.keys(steps).join('|')} JSON-ARGUMENTS\n`);
    process.exit(2);
  }
  // evident's steps run with the process settings of the CLI (src/cli/bin.ts); the baselines with Node's own.
  if (['evaluate', 'history', 'portal', 'pdf'].includes(step!)) {
    // As the CLI does: the heap bound, and Node's compile cache in a cache folder that outlives the run, as a
    // user's does (here it serves the parse worker; this thread's modules are loaded before the timing starts).
    boundHeapForLargeContent();
    enableCompileCache(path.join(tmpdir(), 'evident-bench'));
  }
  const result = await run(JSON.parse(json ?? '{}'));
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}
