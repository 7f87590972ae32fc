// The built portal in a real browser: served on 127.0.0.1 under a base path,
// opened in headless Chromium (the system's, never a downloaded one), links
// followed, search used, axe-core run on every page type.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPortal } from '../../src/portal/build-portal.ts';
import { removeDir, repoRoot, tempDir } from '../helpers.ts';
import { portalFixture, type PortalFixture } from './fixture.ts';

const BASE = '/portal/';
const CHROMIUM = '/usr/bin/chromium';
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.xml': 'application/xml' };

let fx: PortalFixture;
let site: string;
let server: Server;
let origin: string;
let browser: Browser;

/** A tiny static server: the site under BASE, folders serve their index.html. */
function serve(root: string): Promise<Server> {
  const s = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(BASE)) return void res.writeHead(404).end('not found');
    let file = path.join(root, rel.slice(BASE.length));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
    rel = '';
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

beforeAll(async () => {
  fx = await portalFixture();
  site = tempDir('evident-portal-site-');
  await buildPortal({ report: fx.report, model: fx.model, outDir: site, public: false, downloads: [], baseUrl: BASE, contentRoot: fx.root });
  server = await serve(site);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  removeDir(site);
  removeDir(fx.root);
});

async function axe(page: Page) {
  await page.addScriptTag({ path: path.join(repoRoot, 'node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run('html', { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const h1 = (page: Page) => page.locator('h1').innerText();

describe('portal in a browser', () => {
  it('follows links from the overview to a framework, a control and a requirement', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${origin}${BASE}`);
    expect(response?.status()).toBe(200);
    expect(await h1(page)).toBe('Scenario Corp compliance');
    await page.getByRole('link', { name: 'Demo Framework' }).first().click();
    expect(await h1(page)).toContain('Demo Framework');
    expect(page.url()).toBe(`${origin}${BASE}products/acme/frameworks/demo/`);
    await page.getByRole('link', { name: 'C2', exact: true }).click();
    expect(await h1(page)).toContain('Testing and review');
    await expect(page.locator('.explanation').innerText()).resolves.toContain('C2');
    await page.getByRole('link', { name: 'sec-review' }).first().click();
    expect(page.url()).toBe(`${origin}${BASE}products/acme/requirements/sec-review/`);
    expect(await h1(page)).toBe('sec-review');
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    expect(await h1(page)).toContain('register');
    await page.close();
  });

  it('finds controls, requirements, proofs and evidence with Pagefind and opens a result', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}${BASE}search/`);
    await page.getByRole('searchbox').fill('review');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('#search-results li');
    await results.first().waitFor();
    const text = await page.locator('#search-results').innerText();
    expect(text).toMatch(/Proof/);
    expect(text).toMatch(/Requirement/);
    expect(text).toMatch(/Control/);
    await page.locator('#search-status').filter({ hasText: 'result' }).waitFor();
    await page.goto(`${origin}${BASE}search/?q=junit`);
    await results.first().waitFor();
    expect(await page.locator('#search-results').innerText()).toContain('Evidence evidence/');
    const href = await results.first().locator('a').getAttribute('href');
    expect(href?.startsWith(BASE)).toBe(true);
    await results.first().locator('a').click();
    await page.waitForLoadState();
    expect(await h1(page)).toBeTruthy();
    await page.close();
  });

  it('works without JavaScript, search aside', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}${BASE}products/acme/frameworks/demo/c5/`);
    expect(await h1(page)).toContain('Product sign-off');
    await page.getByRole('link', { name: 'product-review' }).first().click();
    expect(await h1(page)).toBe('product-review');
    await page.goto(`${origin}${BASE}search/`);
    expect(await page.locator('main').innerText()).toContain('Search needs JavaScript');
    await context.close();
  });

  it('is usable at phone width: nothing wider than the screen but scrollable tables', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const rel of ['', 'products/acme/frameworks/demo/c2/', 'products/acme/requirements/product-review/']) {
      await page.goto(`${origin}${BASE}${rel}`);
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow, rel).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it('has no serious or critical axe-core violations on any page type', async () => {
    const page = await browser.newPage();
    const found: Record<string, unknown> = {};
    for (const rel of [
      '',
      'products/acme/',
      'products/acme/frameworks/demo/',
      'products/acme/frameworks/demo/c2/',
      'products/acme/requirements/sec-review/',
      'products/acme/requirements/product-review/',
      'projects/api/',
      'crosswalk/',
      'evidence/',
      'register/',
      'history/',
      'downloads/',
      'search/?q=review',
    ]) {
      await page.goto(`${origin}${BASE}${rel}`);
      if (rel.startsWith('search')) await page.locator('#search-results li').first().waitFor();
      const violations = await axe(page);
      if (violations.length) found[rel || 'overview'] = violations;
    }
    expect(found).toEqual({});
    await page.close();
  });
});
