// Full builds of the portal (Astro + Pagefind) from the scenario fixture with
// a confidential canary added: internal and public variants, links, leaks,
// inert proofs, determinism, and nothing written outside the output.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPortal } from '../../src/portal/build-portal.ts';
import { removeDir, repoRoot, tempDir } from '../helpers.ts';
import { CANARY, PRIVATE_VIOLATION, PUBLIC_VIOLATION, listFiles, portalFixture, readSearchable, type PortalFixture } from './fixture.ts';
import { checkLinks } from './links.ts';

let fx: PortalFixture;
let out: string;
let internalDir: string;
let publicDir: string;
let publicAgainDir: string;
let internalPages: number;
let publicPages: number;
let cwdBefore: string;

beforeAll(async () => {
  cwdBefore = process.cwd();
  fx = await portalFixture();
  out = tempDir('evident-portal-out-');
  internalDir = path.join(out, 'internal');
  publicDir = path.join(out, 'public');
  publicAgainDir = path.join(out, 'public-again');
  // `evident build` writes its other outputs next to the site; the portal must keep them.
  for (const dir of [internalDir, publicDir, publicAgainDir]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'report.json'), '{"placeholder": true}\n');
  }
  const common = { report: fx.report, model: fx.model, downloads: ['report.json'], contentRoot: fx.root };
  internalPages = (await buildPortal({ ...common, outDir: internalDir, public: false, baseUrl: '/docs/' })).pages;
  publicPages = (await buildPortal({ ...common, outDir: publicDir, public: true, baseUrl: '/' })).pages;
  await buildPortal({ ...common, outDir: publicAgainDir, public: true, baseUrl: '/' });
}, 240_000);

afterAll(() => {
  removeDir(out);
  removeDir(fx.root);
});

const htmlFiles = (dir: string) => listFiles(dir).filter((f) => f.endsWith('.html'));

describe('buildPortal', () => {
  it('builds every page type and keeps the files already in the output folder', () => {
    const pages = htmlFiles(internalDir);
    expect(internalPages).toBe(pages.length);
    expect(publicPages).toBe(htmlFiles(publicDir).length);
    for (const page of [
      'index.html',
      'products/acme/index.html',
      'products/acme/frameworks/demo/index.html',
      'products/acme/frameworks/demo/c1/index.html',
      'products/acme/requirements/sec-review/index.html',
      'projects/api/index.html',
      'crosswalk/index.html',
      'evidence/index.html',
      'register/index.html',
      'history/index.html',
      'downloads/index.html',
      'search/index.html',
    ]) {
      expect(pages, page).toContain(page);
    }
    expect(existsSync(path.join(internalDir, 'pagefind/pagefind.js'))).toBe(true);
    expect(readFileSync(path.join(internalDir, 'report.json'), 'utf8')).toContain('placeholder');
    expect(readFileSync(path.join(internalDir, 'history/index.html'), 'utf8')).toContain('No history was given');
  });

  it('has no broken internal link, under the base path of each variant', () => {
    for (const [dir, base] of [[internalDir, '/docs/'], [publicDir, '/']] as const) {
      const links = checkLinks(dir, base);
      expect(links.checked).toBeGreaterThan(100);
      expect(links.broken).toEqual([]);
      // The only link that leaves the site is the one a proof body makes; nothing is loaded from elsewhere.
      expect([...new Set(links.external.map((l) => l.href))]).toEqual(['https://example.org/ok']);
    }
  });

  it('leaks nothing of confidential items into any file of the public output', () => {
    const files = listFiles(publicDir);
    expect(files.some((f) => f.startsWith('pagefind/'))).toBe(true);
    for (const file of files) {
      const text = readSearchable(path.join(publicDir, file)).toLowerCase();
      for (const secret of fx.secrets) expect(text.includes(secret.toLowerCase()), `${file} contains ${secret}`).toBe(false);
      expect(text.includes(PRIVATE_VIOLATION), `${file} shows a violation of a non-public project`).toBe(false);
    }
    expect(readFileSync(path.join(publicDir, 'products/acme/requirements/tests-ok/index.html'), 'utf8')).toContain(PUBLIC_VIOLATION);
    expect(existsSync(path.join(publicDir, 'files/evidence/oss/junit.xml'))).toBe(true);
    expect(existsSync(path.join(publicDir, 'files/evidence/api'))).toBe(false);
  });

  it('shows the confidential items in the internal build (so the leak test can fail)', () => {
    const all = htmlFiles(internalDir).map((f) => readFileSync(path.join(internalDir, f), 'utf8')).join('\n');
    expect(all).toContain(`CANARY-${CANARY}-BODY`);
    expect(all).toContain(PRIVATE_VIOLATION);
    expect(existsSync(path.join(internalDir, `files/proofs/${CANARY}-attachment.txt`))).toBe(true);
  });

  it('renders proofs inert: no script, event handler or javascript: link from content', () => {
    for (const dir of [internalDir, publicDir]) {
      for (const page of htmlFiles(dir)) {
        const html = readFileSync(path.join(dir, page), 'utf8');
        const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
        expect(scripts, page).toEqual(page === 'search/index.html' ? [expect.stringContaining('id="search-script"')] : []);
        expect(html, page).not.toMatch(/\son\w+\s*=|javascript:|<img\b|<iframe\b|xss-/i);
      }
      const requirement = readFileSync(path.join(dir, 'products/acme/requirements/sec-review/index.html'), 'utf8');
      expect(requirement).toContain('a fine link');
    }
  });

  it('builds byte-identical output from the same input', () => {
    const a = listFiles(publicDir);
    expect(listFiles(publicAgainDir)).toEqual(a);
    for (const f of a) expect(readFileSync(path.join(publicAgainDir, f)).equals(readFileSync(path.join(publicDir, f))), f).toBe(true);
  });

  it('writes nothing into the package, the working directory or the content root', () => {
    expect(process.cwd()).toBe(cwdBefore);
    expect(existsSync(path.join(repoRoot, '.astro'))).toBe(false);
    expect(existsSync(path.join(process.cwd(), '.astro'))).toBe(false);
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: fx.root, encoding: 'utf8' })).toBe('');
  });
});
