// The portal's writer: view model → Astro's programmatic build (Pagefind
// indexing alongside, in its own process) → moved into outDir. Everything Astro and Vite write (cache, prerender
// chunks, the site) goes to one temporary folder, never into the installed
// package, the content root or the working directory.
import { cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../evaluate/report-types.ts';
import type { Model } from '../model/types.ts';
import { PORTAL_DATA_KEY } from './data.ts';
import { normaliseBase, portalData, type HistoryPoint, type PortalData } from './view-model.ts';

export interface BuildPortalOptions {
  report: Report;
  model: Model;
  /** Where the site ends up; created if missing. Entries of the site replace same-named entries; other files stay. */
  outDir: string;
  /** The outward-facing variant (SPEC section 9). */
  public: boolean;
  /** Files the build put (or will put) next to the site, relative to outDir: packets, report.json, … */
  downloads?: string[];
  /** Base path; default Config.spec.portal.baseUrl, else "/". */
  baseUrl?: string;
  /** Score history (`evident history`), drawn as a trend chart; without it the page says there is none. */
  history?: HistoryPoint[];
  /** With the content root, evidence files and proof attachments the build may offer are copied into the site. */
  contentRoot?: string;
  /** Default: the report's `now`. */
  now?: string;
}

export interface BuildPortalResult {
  pages: number;
}

/** The package root (holds src/pages), wherever evident is installed. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function buildPortal(options: BuildPortalOptions): Promise<BuildPortalResult> {
  const base = normaliseBase(options.baseUrl ?? options.model.config.portal?.baseUrl ?? '/');
  const data = portalData(options.report, options.model, {
    public: options.public,
    now: options.now ?? options.report.now,
    downloads: options.downloads ?? [],
    history: options.history,
    offerFiles: options.contentRoot !== undefined,
    base,
  });
  const work = await mkdtemp(path.join(tmpdir(), 'evident-portal-'));
  try {
    const site = path.join(work, 'site');
    // Pagefind indexes the view model's records, not the pages, so it runs (in its own process)
    // while Astro renders; its files are written once the site is there.
    const search = indexSearch(data);
    search.catch(() => {}); // awaited below; not an unhandled rejection if Astro fails first
    const written = await runAstro({ work, site, data, base });
    if (options.contentRoot !== undefined) await copyFiles(options.contentRoot, site, data.files);
    const pages = written.filter((f) => f.endsWith('.html')).length;
    await writeSearch(site, await search);
    await moveInto(site, path.resolve(options.outDir));
    return { pages };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs Astro's build; returns the files it wrote for the pages, as paths. */
async function runAstro({ work, site, data, base }: { work: string; site: string; data: PortalData; base: string }): Promise<string[]> {
  const { build } = await import('astro');
  const global = globalThis as Record<symbol, PortalData | undefined>;
  const saved = { data: global[PORTAL_DATA_KEY], telemetry: process.env.ASTRO_TELEMETRY_DISABLED, cwd: process.cwd() };
  // The pages read the view model in memory (loadPortalData): Astro prerenders them in this process.
  // Serialising it for them, and parsing it back, cost about a second at M.
  global[PORTAL_DATA_KEY] = data;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // Astro writes its prerender chunks under the working directory when outDir
  // is outside it (`<cwd>/.astro/`); inside the temporary folder they stay there.
  process.chdir(work);
  const written: string[] = [];
  try {
    await build(
      {
        root: packageRoot,
        srcDir: path.join(packageRoot, 'src'),
        publicDir: path.join(work, 'public'),
        outDir: site,
        cacheDir: path.join(work, 'cache'),
        base,
        trailingSlash: 'ignore',
        // HTML compressed (Astro's default): Pagefind indexes records, not the written pages.
        configFile: false,
        logLevel: 'warn',
        devToolbar: { enabled: false },
        // Astro's record of the pages it wrote: counting them on disk afterwards was a read of every folder.
        integrations: [{ name: 'evident:written', hooks: { 'astro:build:done': ({ assets }) => void written.push(...[...assets.values()].flat().map((u) => fileURLToPath(u))) } }],
        // Four pages at a time: a page's folder and file are made on libuv's threads (creating a
        // file or folder cost 0.4-1 ms of system time each here), so the next pages render meanwhile
        // instead of waiting; one at a time, the main thread was idle half of the generation.
        build: { format: 'directory', inlineStylesheets: 'never', concurrency: PAGES_AT_ONCE },
        vite: {
          cacheDir: path.join(work, 'vite'),
          // Bundle the pages' dependencies into the prerender chunks: they run
          // from the temporary folder, where node_modules cannot be resolved.
          ssr: { noExternal: true },
          environments: { prerender: { resolve: { noExternal: true } } },
        },
      },
      // No `astro sync`: it writes type declarations into <root>/.astro/, and the portal has no content collections.
      { sync: false } as Record<string, unknown>,
    );
  } finally {
    process.chdir(saved.cwd);
    if (saved.data === undefined) delete global[PORTAL_DATA_KEY];
    else global[PORTAL_DATA_KEY] = saved.data;
    restoreEnv('ASTRO_TELEMETRY_DISABLED', saved.telemetry);
  }
  return written;
}

const PAGES_AT_ONCE = 4;

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function copyFiles(contentRoot: string, site: string, files: PortalData['files']): Promise<void> {
  const root = path.resolve(contentRoot);
  for (const f of files) {
    const from = path.resolve(root, f.source);
    if (!from.startsWith(root + path.sep)) continue; // never outside the content root
    const to = path.join(site, f.target);
    await mkdir(path.dirname(to), { recursive: true });
    await cp(from, to);
  }
}

/**
 * Pagefind over the view model's records: one per control and requirement
 * page, proof and evidence file. Records instead of the written HTML: the
 * text is already in the view model, and parsing every page cost most of the
 * indexing time. Only the files pagefind.js needs are kept (not its UI).
 */
async function indexSearch(data: PortalData): Promise<PagefindFile[]> {
  const pagefind = await import('pagefind');
  try {
    // Fragments bundled into shared files: writing one small file per record was most of the write time.
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en', maxFragments: 500 });
    if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
    // All sent at once: a round trip to Pagefind's process per record, awaited in turn, is slow on a busy
    // machine, and the index comes out the same in any order.
    const added = await Promise.all(data.search.map((r) => index.addCustomRecord({ url: r.url, content: r.content, language: 'en', meta: { title: r.title }, filters: { type: [r.type] } })));
    const failed = added.flatMap((res, i) => res.errors.map((e) => `${data.search[i]!.url}: ${e}`));
    if (failed.length) throw new Error(`Pagefind could not index ${failed.join('; ')}`);
    const got = await index.getFiles();
    if (got.errors.length) throw new Error(`Pagefind could not build its index: ${got.errors.join('; ')}`);
    return got.files.filter((f) => !unusedPagefindFile.test(f.path));
  } finally {
    await pagefind.close();
  }
}

interface PagefindFile {
  path: string;
  content: Uint8Array;
}

async function writeSearch(site: string, files: PagefindFile[]): Promise<void> {
  const out = path.join(site, 'pagefind');
  for (const dir of new Set(files.map((f) => path.dirname(path.join(out, f.path))))) await mkdir(dir, { recursive: true });
  await Promise.all(files.map((f) => writeFile(path.join(out, f.path), f.content)));
}

/** Pagefind's ready-made search UIs and its highlighter: the search page talks to pagefind.js directly. */
const unusedPagefindFile = /^pagefind-(ui|modular-ui|component-ui|highlight)\./;

async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of (await readdir(from)).sort()) {
    const target = path.join(to, entry);
    await rm(target, { recursive: true, force: true });
    try {
      await rename(path.join(from, entry), target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await cp(path.join(from, entry), target, { recursive: true });
    }
  }
}
