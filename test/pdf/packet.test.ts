// Audit packets rendered from the scenario by the real pipeline, checked with
// real PDF tools (qpdf, poppler) rather than by reading our own bytes back.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/evaluate/report-types.ts';
import type { Model } from '../../src/model/types.ts';
import { packetBytes } from '../../src/pdf/packet.ts';
import { readPacketManifest } from '../../src/pdf/verify.ts';
import { packetFacts, writePackets } from '../../src/pdf/write-packets.ts';
import type { PacketInput } from '../../src/pdf/types.ts';
import { removeDir, tempDir } from '../helpers.ts';
import { copyScenario, evaluateDir, pageCount, run, scenarioDir, text, tools } from './pdf-helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

let model: Model;
let report: Report;
let out: string;
let demo: string;
let all: string;

beforeAll(async () => {
  ({ model, report } = await evaluateDir(scenarioDir));
  out = tempDir('evident-packets-');
  dirs.push(out);
  const files = await writePackets(report, model, out, { attachEvidence: true, contentRoot: scenarioDir });
  expect(files.map((f) => path.basename(f))).toEqual(['acme--demo.pdf', 'acme--all.pdf']);
  [demo, all] = files;
});

const input = (extra: Partial<PacketInput> = {}): PacketInput => ({ report, product: 'acme', framework: 'demo', facts: packetFacts(model), now: report.now, public: false, ...extra });

describe.skipIf(!tools.qpdf)('qpdf', () => {
  it('finds no syntax or stream errors in either packet', () => {
    for (const file of [demo, all]) {
      const r = run('qpdf', ['--check', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('No syntax or stream encoding errors found');
    }
  });
});

describe.skipIf(!tools.pdftotext)('pdftotext', () => {
  it('shows the commit, every control and the status words', () => {
    const t = text(demo);
    if (report.commit) expect(t).toContain(report.commit.sha);
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5']) expect(t).toMatch(new RegExp(`${id} — `));
    for (const s of ['PASSED', 'FAILED', 'MISSING', 'EXPIRED', 'EXCEPTION', 'NOT_APPLICABLE', 'INACTIVE']) expect(t).toContain(s);
    expect(t).toContain('Scenario Corp');
    expect(t).toContain('Acme Platform 2.4.0');
    expect(t).toContain('Executive summary');
    expect(t).toContain('Exceptions register');
    expect(t).toContain('Overrides log');
    expect(t).toContain('Plan of action and milestones');
    expect(t).toMatch(/Page 1 of \d+/);
  });

  it('shows evidence with its hash and commit, proof excerpts, exceptions, overrides and POA&M owners', () => {
    const t = text(demo).replace(/\s+/g, ' ');
    const grype = model.evidence.find((e) => e.path === 'evidence/api/grype.json')!;
    expect(t).toContain('evidence/api/grype.json');
    expect(t.replace(/ /g, '')).toContain(grype.sha256);
    expect(t).toContain('Reviewed the payment flows.'); // proof body rendered from Markdown
    expect(t).toContain('API security review'); // its heading
    expect(t).toContain('Flaky suite, tracked in QA-7');
    expect(t).toContain('cto@acme.example');
    expect(t).toContain('Reviewed with the API.');
    expect(t).toContain('auditor@acme.example');
    expect(t).toMatch(/P-\d{3}.*platform@acme\.example/); // POA&M owner falls back to the product owner
    expect(t).toContain('due 2026-12-31'); // the exception's expiry is the due date
    expect(t).toContain('(exception expires)');
    expect(t).toContain('expected 200, got 500'); // a violation, internal edition
  });
});

describe.skipIf(!tools.pdffonts)('pdffonts', () => {
  it('lists only embedded (subset) fonts', () => {
    const lines = execFileSync('pdffonts', [demo], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(/DejaVu/);
      expect(line).toMatch(/\byes\s+yes\s+yes\b/); // emb sub uni
    }
  });
});

describe.skipIf(!tools.pdfinfo || !tools.pdftotext)('table of contents', () => {
  it('states the page count pdfinfo reports, and each entry points at its heading', () => {
    for (const file of [demo, all]) {
      const pages = pageCount(file);
      const toc = text(file, 2, 3);
      expect(toc).toContain(`This packet has ${pages} pages.`);
      const entries = [...toc.matchAll(/^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$/gm)].map((m) => ({ title: m[1].trim(), page: Number(m[2]) }));
      expect(entries.length).toBeGreaterThanOrEqual(9);
      let last = 0;
      for (const e of entries) {
        expect(e.page).toBeGreaterThanOrEqual(last);
        expect(e.page).toBeLessThanOrEqual(pages);
        last = e.page;
        expect(text(file, e.page).replace(/\s+/g, ' ')).toContain(e.title.replace(/\s+/g, ' '));
      }
      expect(entries.at(-1)!.title).toBe('Appendix: evidence manifest');
    }
  });
});

describe('determinism and the embedded manifest', () => {
  it('renders byte-identical PDFs from the same report and time', async () => {
    const a = await packetBytes(input());
    const b = await packetBytes(input());
    expect(a.equals(b)).toBe(true);
    const other = await packetBytes(input({ now: '2026-11-23T00:00:00Z' }));
    expect(other.equals(a)).toBe(false);
    const ids = [a, other].map((bytes) => /\/ID \[<([0-9a-f]{32})>/.exec(bytes.subarray(bytes.lastIndexOf('trailer')).toString('latin1'))![1]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[0]).not.toBe('0'.repeat(32));
  });

  it('embeds a manifest with the path, sha256 and commit of each file behind the packet', () => {
    const read = readPacketManifest(readFileSync(demo));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const m = read.manifest;
    expect(m).toMatchObject({ evidentPacket: 1, kind: 'packet', product: 'acme', framework: 'demo', public: false, commit: report.commit });
    const paths = m.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(expect.arrayContaining(['evidence/api/grype.json', 'evidence/api/junit.xml', 'evidence/web/junit.xml', 'proofs/review-api.md']));
    for (const f of m.files) {
      const item = model.evidence.find((e) => e.path === f.path) ?? model.proofs.find((p) => p.file === f.path);
      expect(f.sha256).toBe(item!.sha256);
    }
  });

  it.skipIf(!tools.pdfdetach)('lists the manifest and the attached evidence as embedded files', () => {
    const list = execFileSync('pdfdetach', ['-list', demo], { encoding: 'utf8' });
    expect(list).toContain('evident-manifest.json');
    expect(list).toContain('evidence/api/grype.json');
    const target = path.join(out, 'manifest.json');
    execFileSync('pdfdetach', ['-savefile', 'evident-manifest.json', '-o', target, demo]);
    expect(JSON.parse(readFileSync(target, 'utf8')).evidentPacket).toBe(1);
  });
});

describe.skipIf(!tools.pdftotext || !tools.qpdf)('long and unusual content', () => {
  let file: string;
  let pdf: Buffer;
  beforeAll(async () => {
    const dir = copyScenario();
    dirs.push(dir);
    const long = Array.from({ length: 160 }, (_, i) => `Compensating control ${i + 1} is reviewed monthly by the security team and recorded in the risk register.`).join(' ');
    const productYaml = readFileSync(path.join(dir, 'products/acme.yaml'), 'utf8').replace('rationale: Flaky suite, tracked in QA-7', `rationale: "${long} ${'x'.repeat(700)}"`);
    writeFileSync(path.join(dir, 'products/acme.yaml'), productYaml);
    writeFileSync(
      path.join(dir, 'proofs/review-api.md'),
      [
        '---',
        'requirement: sec-review',
        'proof: review',
        'project: api',
        'date: 2026-03-01',
        '---',
        '# Проверка — Ελληνικά — Überprüfung — ½ ≥ ✓ — 漢字',
        '',
        `A token without spaces: ${'0123456789abcdef'.repeat(30)} and **bold** with _emphasis_ and \`code\`.`,
        '',
        '<script>alert("not html")</script>',
        '',
        '- first item',
        '- [x] done item',
        '',
        '```',
        `const line = '${'y'.repeat(300)}';`,
        '```',
        '',
        '| a | b |',
        '|---|---|',
        '| cell one | cell two |',
      ].join('\n'),
    );
    const { model: m, report: r } = await evaluateDir(dir);
    pdf = await packetBytes({ report: r, product: 'acme', framework: 'demo', facts: packetFacts(m), now: r.now, public: false });
    file = path.join(dir, 'long.pdf');
    writeFileSync(file, pdf);
  });

  it('is still a valid PDF', () => {
    expect(run('qpdf', ['--check', file]).code).toBe(0);
  });

  it('renders Unicode and treats HTML and Markdown as text', () => {
    const t = text(file);
        expect(t).toContain('Проверка — Ελληνικά — Überprüfung');
    expect(t).toContain('\ufffd\ufffd'); // no CJK glyphs in DejaVu: shown as replacement characters, never as .notdef
    expect(t).toContain('<script>alert("not html")</script>');
    expect(t).toContain('☑ done item');
    expect(t).toMatch(/cell one \| cell two/);
  });

  it('keeps every word inside the margins, and splits a row taller than a page under a repeated header', () => {
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const pages = html.split('<page ').slice(1);
    expect(pages.length).toBe(pageCount(file));
    for (const page of pages) {
      const width = Number(/width="([\d.]+)"/.exec(page)![1]);
      const height = Number(/height="([\d.]+)"/.exec(page)![1]);
      const bottom = height - 62;
      for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)) {
        const [xMin, yMin, xMax, yMax] = m.slice(1).map(Number);
        expect(xMin).toBeGreaterThanOrEqual(55);
        expect(xMax).toBeLessThanOrEqual(width - 55);
        // body text ends above the bottom margin; the footer sits wholly below it
        expect(yMax <= bottom + 1 || yMin >= bottom + 10).toBe(true);
        expect(yMin).toBeGreaterThanOrEqual(20);
      }
    }
    const toc = text(file, 2);
    const register = Number(/Exceptions register\s*\.+\s*(\d+)/.exec(toc)![1]);
    const next = Number(/Overrides log\s*\.+\s*(\d+)/.exec(toc)![1]);
    expect(next - register).toBeGreaterThanOrEqual(2); // the long rationale spans pages
    for (let p = register; p < next; p++) expect(text(file, p)).toMatch(/Requirement\s+Applies to\s+Rationale/);
  });
});

describe.skipIf(!tools.pdftotext || !tools.qpdf)('public edition', () => {
  let t: string;
  let pdf: Buffer;
  let m: Model;
  beforeAll(async () => {
    const dir = copyScenario();
    dirs.push(dir);
    const yaml = readFileSync(path.join(dir, 'products/acme.yaml'), 'utf8')
      .replace('metadata: {name: web}\nspec:\n', 'metadata: {name: web}\nspec:\n  confidential: true\n  owner: web-team@acme.example\n')
      .replace('metadata: {name: api}\nspec:\n', 'metadata: {name: api}\nspec:\n  public: true\n');
    writeFileSync(path.join(dir, 'products/acme.yaml'), yaml);
    writeFileSync(path.join(dir, 'proofs/review-org.md'), '---\nrequirement: sec-review\nproof: review\ndate: 2025-01-01\nconfidential: true\n---\nSecret organisation-wide review.\n');
    let r: Report;
    ({ model: m, report: r } = await evaluateDir(dir));
    const attachments = m.evidence.map((e) => ({ path: e.path, bytes: readFileSync(path.join(dir, e.path)) }));
    pdf = await packetBytes({ report: r, product: 'acme', framework: 'all', facts: packetFacts(m), now: r.now, public: true, attachments });
    const file = path.join(dir, 'public.pdf');
    writeFileSync(file, pdf);
    t = text(file);
    expect(run('qpdf', ['--check', file]).code).toBe(0);
  });

  it('names no file, hash or owner of a confidential project or proof', () => {
    const flat = t.replace(/\s+/g, '');
    for (const e of m.evidence.filter((x) => x.project === 'web')) {
      expect(t).not.toContain(e.path);
      expect(flat).not.toContain(e.sha256);
      expect(pdf.includes(e.sha256)).toBe(false);
    }
    const secret = m.proofs.find((p) => p.file === 'proofs/review-org.md')!;
    expect(t).not.toContain('review-org');
    expect(flat).not.toContain(secret.sha256);
    expect(t).not.toContain('Secret organisation-wide review');
    expect(t).not.toContain('web-team@acme.example');
    expect(t).toContain('confidential project 1');
  });

  it('shows violations and attachments only for public projects', () => {
    expect(t).not.toContain('expected 200, got 500'); // web's violation
    expect(t).not.toContain('Reviewed the payment flows.'); // the body of a proof not marked public
    const read = readPacketManifest(pdf);
    expect(read.ok && read.manifest.public).toBe(true);
    if (!read.ok) return;
    expect(read.manifest.files.some((f) => f.path.startsWith('evidence/web/') || f.path === 'proofs/review-org.md')).toBe(false);
    const embedded = pdf.toString('latin1');
    expect(embedded).toContain('(evidence/api/grype.json)'); // public project: attached
    expect(embedded).not.toContain('(evidence/web/');
  });
});

describe.skipIf(!tools.pdftotext || !tools.qpdf)('statement of applicability', () => {
  it('lists every Annex A control with its applicability, justification and status', async () => {
    const dir = copyScenario();
    dirs.push(dir);
    const yaml = readFileSync(path.join(dir, 'products/acme.yaml'), 'utf8')
      .replace('frameworks: [demo]', 'frameworks: [demo, iso27001-2022]')
      .replace('  applicability:\n', '  applicability:\n    - control: iso27001-2022/A.7.4\n      rationale: No physical premises; the offices are a co-working space.\n');
    writeFileSync(path.join(dir, 'products/acme.yaml'), yaml);
    const { model: m, report: r } = await evaluateDir(dir);
    const target = path.join(dir, 'out');
    const files = await writePackets(r, m, target, { frameworks: ['soa'] });
    expect(files.map((f) => path.basename(f))).toEqual(['acme--soa.pdf']);
    expect(run('qpdf', ['--check', files[0]]).code).toBe(0);
    const t = text(files[0]);
    const iso = r.products[0].frameworks.find((f) => f.name === 'iso27001-2022')!;
    expect(iso.controls.length).toBe(93);
    for (const c of iso.controls) expect(t).toMatch(new RegExp(`(^|\\s)${c.id.replace(/\./g, '\\.')}\\s`));
    expect(t.replace(/\s+/g, ' ')).toContain('No physical premises; the offices are a co-working space.');
    expect(t).toContain('Statement of Applicability');
    expect(t).toMatch(/This packet has (\d+) pages\./);
    expect(Number(/This packet has (\d+) pages\./.exec(t)![1])).toBe(pageCount(files[0]));
    const read = readPacketManifest(readFileSync(files[0]));
    expect(read.ok && read.manifest.kind).toBe('soa');
  });
});
