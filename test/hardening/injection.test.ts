// Every content string reaching HTML, PDF, XML, CSV or Markdown is escaped or
// sanitised: a fixture full of payloads yields inert output, checked in the
// built files.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProcess, removeDir, repoRoot, tempDir } from '../helpers.ts';

type Node = DefaultTreeAdapterMap['node'];
const fixture = path.join(repoRoot, 'test/fixtures/injection');
let out: string;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

beforeAll(() => {
  out = path.join(tempDir(), 'site');
  const r = cliProcess(['build', '--content', fixture, '--out', out, '--now', '2026-11-22']);
  expect(r.code, r.stderr).toBe(0);
}, 180_000);
afterAll(() => removeDir(path.dirname(out)));

describe('injection payloads are inert in every output', () => {
  it('HTML: no injected script, event handler, javascript: URL or iframe', () => {
    const pages = walk(out).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(5);
    const problems: string[] = [];
    let sawPayloadText = false;
    for (const file of pages) {
      const html = readFileSync(file, 'utf8');
      if (html.includes("alert('body')")) sawPayloadText = true;
      const visit = (node: Node) => {
        if ('tagName' in node) {
          const rel = path.relative(out, file);
          if (node.tagName === 'iframe') problems.push(`${rel}: iframe`);
          for (const a of node.attrs) {
            if (/^on/i.test(a.name)) problems.push(`${rel}: <${node.tagName} ${a.name}>`);
            if (/^\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name)) problems.push(`${rel}: ${a.name}=${a.value}`);
          }
          if (node.tagName === 'script') {
            const text = node.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
            if (/alert\(/.test(text)) problems.push(`${rel}: injected script`);
          }
        }
        if ('childNodes' in node) for (const c of node.childNodes) visit(c as Node);
        if ('content' in node && node.content) visit(node.content as unknown as Node);
      };
      visit(parse(html) as unknown as Node);
    }
    expect(problems).toEqual([]);
    // the payloads are there as text, so the check above looked at them
    expect(sawPayloadText).toBe(true);
  });

  it('CSV: no cell starts a formula', () => {
    const csvs = walk(out).filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(0);
    for (const f of csvs) {
      for (const line of readFileSync(f, 'utf8').split(/\r?\n/)) {
        for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) {
          const value = cell.replace(/,$/, '').replace(/^"|"$/g, '');
          expect(/^[=+\-@\t\r]/.test(value), `${path.basename(f)}: ${value}`).toBe(false);
        }
      }
    }
  });

  it('XML: JUnit stays well-formed with the payloads escaped', () => {
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('&lt;img src=x onerror=alert(&apos;fail&apos;)&gt;');
    expect(xml).not.toMatch(/[\u0001\u0008]/);
  });

  it('Markdown: the summary holds no raw HTML from content', () => {
    const md = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(md).toContain('Compliance summary');
    expect(md).not.toMatch(/(?<!\\)<(script|img|b )/);
    expect(md).toContain('\\<script\\>');
  });

  it.skipIf(spawnSync('qpdf', ['--version']).status !== 0)('PDF: packets pass qpdf --check and show the payloads as text', () => {
    const pdfs = walk(out).filter((f) => f.endsWith('.pdf'));
    expect(pdfs.length).toBeGreaterThan(0);
    for (const f of pdfs) {
      execFileSync('qpdf', ['--check', f], { stdio: 'pipe' });
      const text = execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' });
      expect(text).toContain("alert('body')");
    }
  });
});
