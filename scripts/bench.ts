// Benchmark of evident at scale, each figure a ratio against a baseline
// measured in the same run on the same machine (see docs/performance.md):
//
//   npm run bench -- --size S|M|L [--json] [--keep] [--seed N] [--history-max N] [--skip LIST] [--profile DIR] [--help]
//
// Every measured step runs in a fresh Node process (scripts/lib/bench-worker.ts).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Step } from './lib/bench-worker.ts';
import { topSelfTime } from './lib/cpu-profile.ts';
import { generateRepo, generatorVersion } from './lib/generate-repo.ts';
import { sizes, type SizeName } from './lib/synthetic-repo.ts';

const usage = `usage: npm run bench -- --size S|M|L [--json] [--keep] [--seed N] [--history-max N] [--repeat N] [--skip LIST] [--profile DIR] [--help]

Generates a synthetic content repo (scripts/generate.ts; reused from
${path.join(os.tmpdir(), 'evident-bench')} when one of that size and seed exists) and
measures, each step in a fresh Node process, against a baseline of the same run:

  evaluateVsParse    load + evaluate with a cold cache / reading and parsing the same evidence bytes
                     (JSON.parse; fast-xml-parser for XML), earlier git versions included
  incrementalVsFull  re-evaluation after one evidence file changed, blob cache warm / the cold run
  historyVsOne       history over the last 100 commits (all if fewer) / one evaluation, cache warm as on
                     the next CI run (after a first history to HEAD~1; that one's time is printed beside,
                     and that of a history that evaluates every commit again)
  portalVsBareAstro  portal build time per 1,000 pages / a bare Astro site of as many pages
  pdfVsBarePdfkit    seconds per packet page / seconds per page of a bare pdfkit document drawing
                     the same text at the same places with DejaVuSans embedded
  peakRssMB          the maximum resident set of the cold load + evaluate process

  --size S|M|L       the repo size (default S); S ${sizes.S.evidence} evidence files, M ${sizes.M.evidence}, L ${sizes.L.evidence}
  --json             print the figures as one JSON object on the last line
  --keep             keep the generated repo (for the next run) and this run's outputs
  --seed N           the generator's seed (default 1)
  --history-max N    commits for historyVsOne (default 100)
  --packet-products N  products whose packets are rendered for pdfVsBarePdfkit (default 1)
  --repeat N         measure every figure N times, each numerator beside its own baseline, and report
                     the median of the N figures (default 1; the machine's noise shows in the spread)
  --skip LIST        leave out steps: history, portal, pdf (comma-separated); their figures are null
  --profile DIR      run every step under node --cpu-prof, write the profiles into DIR and print
                     each step's functions with the most self time (profiling slows the steps down:
                     take the figures from a run without it)
  --help             this text
`;

interface Options {
  size: SizeName;
  seed: number;
  json: boolean;
  keep: boolean;
  historyMax: number;
  packetProducts: number;
  skip: Set<string>;
  profile: string | undefined;
  repeat: number;
}

function parseOptions(): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        size: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        keep: { type: 'boolean' },
        'history-max': { type: 'string' },
        'packet-products': { type: 'string' },
        skip: { type: 'string' },
        profile: { type: 'string' },
        repeat: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}`);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const size = String(values.size ?? 'S').toUpperCase();
  if (size !== 'S' && size !== 'M' && size !== 'L') fail(`--size must be S, M or L (got "${values.size}")`);
  const whole = (name: string, value: unknown, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be a whole number of at least ${min} (got "${value}")`);
    return n;
  };
  const skip = new Set(String(values.skip ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const s of skip) if (!['history', 'portal', 'pdf'].includes(s)) fail(`--skip: unknown step "${s}" (history, portal, pdf)`);
  return {
    size,
    seed: whole('seed', values.seed, 1, 0),
    json: values.json === true,
    keep: values.keep === true,
    historyMax: whole('history-max', values['history-max'], 100, 1),
    packetProducts: whole('packet-products', values['packet-products'], 1, 1),
    skip,
    profile: typeof values.profile === 'string' ? path.resolve(values.profile) : undefined,
    repeat: whole('repeat', values.repeat, 1, 1),
  };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./lib/bench-worker.ts', import.meta.url));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

let profileDir: string | undefined;
let stepCount = 0;

/** Runs one step in a fresh process; its last stdout line is the result. */
function runStep<T>(step: Step, args: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const label = `${String(++stepCount).padStart(2, '0')}-${step}`;
    const profiling = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, label)] : [];
    const child = spawn(process.execPath, [...profiling, worker, step, JSON.stringify(args)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`step ${step} exited with ${code}: ${stderr.trim().split('\n').slice(-8).join('\n')}`));
      try {
        const result = JSON.parse(last) as T;
        log(`${step} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        if (profileDir) printProfile(path.join(profileDir, label));
        resolve(result);
      } catch {
        reject(new Error(`step ${step} printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** The functions with the most self time in a step's profile, on stderr. */
function printProfile(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const { totalMs, top } = topSelfTime(path.join(dir, file), 12, repoRoot);
    log(`  profile ${path.join(dir, file)} (${(totalMs / 1000).toFixed(1)} s sampled), most self time:`);
    for (const t of top) log(`  ${t.ms.toFixed(0).padStart(8)} ms ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.frame}`);
  }
}

/** The generated repo for this size and seed: reused when cached, else generated (atomically). */
async function ensureRepo(options: Options): Promise<{ dir: string; generatedMs: number | null; reused: boolean }> {
  const cacheRoot = path.join(os.tmpdir(), 'evident-bench');
  const dir = path.join(cacheRoot, `${options.size}-seed${options.seed}-${generatorVersion()}`);
  if (existsSync(path.join(dir, '.git'))) return { dir, generatedMs: null, reused: true };
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating size ${options.size} (seed ${options.seed}) into ${dir}`);
  const start = performance.now();
  await generateRepo({ size: options.size, seed: options.seed, out: tmp });
  const generatedMs = performance.now() - start;
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // another bench generated the same repo meanwhile: use that one (and leave it to that bench)
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(dir, '.git'))) throw e;
    return { dir, generatedMs, reused: true };
  }
  return { dir, generatedMs, reused: false };
}

interface Baseline {
  files: number;
  bytes: number;
  currentMs: number;
  earlierVersions: number;
  historyBytes: number;
  historyMs: number;
  totalMs: number;
}

interface EvaluateResult {
  loadMs: number;
  evaluateMs: number;
  totalMs: number;
  maxRssMB: number;
  evidence: number;
  earlierVersions: number;
  errors: number;
  firstErrors: string[];
  products: number;
  results: number;
}

/** One evidence file changed the way a CI run changes it: a new scan, one finding fewer. */
function changeOneFile(root: string, now: string): string {
  const rel = execFileSync('git', ['ls-files', 'evidence/*/images/*/grype.json'], { cwd: root, encoding: 'utf8' }).split('\n')[0]!;
  const file = path.join(root, rel);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.matches = doc.matches.slice(0, Math.max(0, doc.matches.length - 1));
  doc.descriptor.timestamp = new Date(Date.parse(now) - 5 * 60000).toISOString();
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return rel;
}

/** Which evident was measured: the commit, and a hash of uncommitted changes under src/ when there are any. */
function sourceState(): { commit: string; srcChanges: string | null } {
  const run = (args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
  try {
    const diff = run(['diff', 'HEAD', '--', 'src']);
    return { commit: run(['rev-parse', '--short=12', 'HEAD']).trim(), srcChanges: diff ? createHash('sha256').update(diff).digest('hex').slice(0, 12) : null };
  } catch {
    return { commit: 'unknown', srcChanges: null };
  }
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
const round = (x: number | null, digits = 3) => (x === null ? null : Number(x.toFixed(digits)));
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);

async function main(): Promise<number> {
  const options = parseOptions();
  profileDir = options.profile;
  const runStart = performance.now();
  const repo = await ensureRepo(options);
  const root = repo.dir;
  // The incremental step changes a file of the shared repo for a moment: one bench per repo at a time,
  // and a change left behind by an interrupted run is undone first.
  const release = await lockRepo(root);
  try {
    execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: root });
    return await measure(options, repo, root, runStart);
  } finally {
    release();
    if (!options.keep && !repo.reused) rmSync(root, { recursive: true, force: true });
  }
}

/** An exclusive lock beside the repo (a file holding our pid); a lock whose process is gone is taken over. */
async function lockRepo(dir: string): Promise<() => void> {
  const file = `${dir}.lock`;
  let waited = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch {
      const pid = Number(readFileSync(file, 'utf8').trim());
      let alive = false;
      try {
        alive = Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (!alive) {
        rmSync(file, { force: true });
        continue;
      }
      if (!waited) log(`waiting for another bench (pid ${pid}) using ${dir}`);
      waited = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function measure(options: Options, repo: { dir: string; generatedMs: number | null; reused: boolean }, root: string, runStart: number): Promise<number> {
  const now = execFileSync('git', ['log', '-1', '--format=%cI'], { cwd: root, encoding: 'utf8' }).trim();
  const commits = Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim());
  const work = mkdtempSync(path.join(os.tmpdir(), 'evident-bench-run-'));
  const failures: string[] = [];
  const attempt = async <T>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      failures.push(`${label}: ${(e as Error).message}`);
      log(`${label} failed: ${(e as Error).message}`);
      return undefined;
    }
  };

  /** Every step once, with a cache and output folders of its own. */
  const measureRound = async (n: number) => {
    const dir = path.join(work, `round-${n}`);
    const cacheDir = path.join(dir, 'cache');
    let cold, warm, incremental, historyFirst, history, historyEvaluated, portal, bareAstro, pdf, barePdf;
    // The baseline is cheap and its I/O varies: the median of three runs (one at L).
    const baseline = await attempt('parse baseline', async () => {
      const runs: Baseline[] = [];
      for (let i = 0; i < (options.size === 'L' ? 1 : 3); i++) runs.push(await runStep<Baseline>('parse-baseline', { root }));
      return runs.sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)]!;
    });
    cold = await attempt('cold evaluation', () => runStep<EvaluateResult>('evaluate', { root, now, cacheDir }));
    if (cold && cold.errors > 0) failures.push(`the generated repo has ${cold.errors} content errors: ${cold.firstErrors.join('; ')}`);
    warm = await attempt('warm evaluation', () => runStep<EvaluateResult>('evaluate', { root, now, cacheDir }));
    const changed = changeOneFile(root, now);
    try {
      incremental = await attempt('incremental evaluation', () => runStep<EvaluateResult>('evaluate', { root, now, cacheDir }));
    } finally {
      execFileSync('git', ['checkout', '-q', '--', changed], { cwd: root });
    }
    if (!options.skip.has('history')) {
      // CI runs history on every commit. The first history (the run at the commit before HEAD) finds in the cache
      // only the verdicts of HEAD's evaluations above; the next (at HEAD) finds the scores of every commit but
      // HEAD, and HEAD's verdicts. Both are timed, and a third history over the same commits that evaluates
      // every one of them again (the cost of a commit not seen before, with warm verdicts).
      const max = Math.min(options.historyMax, commits);
      type HistoryResult = { commits: number; totalMs: number; maxRssMB: number };
      historyFirst = await attempt('first history', () => runStep<HistoryResult>('history', { root, max, cacheDir, until: 'HEAD~1' }));
      history = await attempt('history', () => runStep<HistoryResult>('history', { root, max, cacheDir }));
      historyEvaluated = await attempt('history evaluating every commit', () => runStep<HistoryResult>('history', { root, max, cacheDir, scores: false }));
    }
    if (!options.skip.has('portal')) {
      portal = await attempt('portal', () => runStep<{ pages: number; totalMs: number; maxRssMB: number }>('portal', { root, now, cacheDir, outDir: path.join(dir, 'portal') }));
      if (portal) bareAstro = await attempt('bare Astro', () => runStep<{ pages: number; totalMs: number; maxRssMB: number }>('bare-astro', { dir: path.join(dir, 'bare-astro'), pages: portal!.pages, nodeModules: path.join(repoRoot, 'node_modules') }));
    }
    if (!options.skip.has('pdf')) {
      const capture = path.join(dir, 'pdf-text.json');
      pdf = await attempt('packets', () => runStep<{ packets: number; pages: number; bytes: number; totalMs: number; pagesPerSecond: number }>('pdf', { root, now, cacheDir, outDir: path.join(dir, 'packets'), products: options.packetProducts, capture }));
      if (pdf) barePdf = await attempt('bare pdfkit', () => runStep<{ pages: number; bytes: number; totalMs: number; pagesPerSecond: number }>('bare-pdf', { capture, outDir: path.join(dir, 'bare-pdf') }));
    }
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    const figures = {
      evaluateVsParse: round(ratio(cold?.totalMs, baseline?.totalMs)),
      incrementalVsFull: round(ratio(incremental?.totalMs, cold?.totalMs)),
      historyVsOne: round(ratio(history?.totalMs, warm?.totalMs)),
      portalVsBareAstro: round(ratio(portal ? portal.totalMs / portal.pages : undefined, bareAstro ? bareAstro.totalMs / bareAstro.pages : undefined)),
      pdfVsBarePdfkit: round(ratio(barePdf?.pagesPerSecond, pdf?.pagesPerSecond)),
      peakRssMB: cold ? Math.round(cold.maxRssMB) : null,
    };
    const historyDetails = { historyFirstVsOne: round(ratio(historyFirst?.totalMs, warm?.totalMs)), historyEvaluatedVsOne: round(ratio(historyEvaluated?.totalMs, warm?.totalMs)) };
    return { figures, baseline, cold, warm, incremental, historyFirst, ...historyDetails, history, historyEvaluated, portal, bareAstro, pdf, barePdf };
  };

  const rounds: Awaited<ReturnType<typeof measureRound>>[] = [];
  try {
    for (let n = 1; n <= options.repeat; n++) {
      if (options.repeat > 1) log(`round ${n} of ${options.repeat}`);
      rounds.push(await measureRound(n));
    }
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
  // Each figure is the median of its rounds (the lower middle of an even count); the absolute times shown
  // are those of the round whose evaluateVsParse is the median (the steps of one round ran side by side).
  const median = (values: (number | null)[]): number | null => {
    const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
    return known.length ? known[Math.floor((known.length - 1) / 2)]! : null;
  };
  type Figures = (typeof rounds)[number]['figures'];
  const figures = Object.fromEntries((Object.keys(rounds[0]!.figures) as (keyof Figures)[]).map((k) => [k, median(rounds.map((r) => r.figures[k]))])) as Figures;
  const shown = rounds.find((r) => r.figures.evaluateVsParse === figures.evaluateVsParse) ?? rounds[0]!;
  const { baseline, cold, warm, incremental, historyFirst, history, historyEvaluated, portal, bareAstro, pdf, barePdf } = shown;
  const spec = sizes[options.size];
  const details = {
    size: options.size,
    seed: options.seed,
    repo: { ...spec, commitsInRepo: commits, now, dir: options.keep || repo.reused ? root : null, generatedMs: repo.generatedMs, reused: repo.reused },
    source: sourceState(),
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryMB: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` },
    baseline,
    cold,
    warm,
    incremental,
    historyFirst,
    historyFirstVsOne: shown.historyFirstVsOne,
    history,
    historyEvaluated,
    historyEvaluatedVsOne: shown.historyEvaluatedVsOne,
    portal,
    bareAstro,
    pdf,
    barePdf,
    rounds: rounds.map((r) => ({ ...r.figures, historyFirstVsOne: r.historyFirstVsOne, historyEvaluatedVsOne: r.historyEvaluatedVsOne })),
    workDir: options.keep ? work : null,
    wallMs: performance.now() - runStart,
    failures,
  };

  const targets: Record<keyof typeof figures, string> = {
    evaluateVsParse: '<= 1.5 (M)',
    incrementalVsFull: '<= 0.1 (M)',
    historyVsOne: '<= 5 (M)',
    portalVsBareAstro: '<= 1.5 (M)',
    pdfVsBarePdfkit: '<= 1.3 (M)',
    peakRssMB: '<= 1500 (L)',
  };
  const limits: Record<keyof typeof figures, number> = { evaluateVsParse: 1.5, incrementalVsFull: 0.1, historyVsOne: 5, portalVsBareAstro: 1.5, pdfVsBarePdfkit: 1.3, peakRssMB: 1500 };
  const measured: Record<keyof typeof figures, string> = {
    evaluateVsParse: `${seconds(cold?.totalMs)} (load ${seconds(cold?.loadMs)}, evaluate ${seconds(cold?.evaluateMs)}) vs ${seconds(baseline?.totalMs)} parsing ${baseline ? `${((baseline.bytes + baseline.historyBytes) / 1e6).toFixed(0)} MB in ${baseline.files + baseline.earlierVersions} files` : '-'}`,
    incrementalVsFull: `${seconds(incremental?.totalMs)} vs ${seconds(cold?.totalMs)} (unchanged, warm: ${seconds(warm?.totalMs)})`,
    historyVsOne: `${seconds(history?.totalMs)} for ${history?.commits ?? '-'} commits vs ${seconds(warm?.totalMs)} (the first history, to HEAD~1: ${seconds(historyFirst?.totalMs)}, ${shown.historyFirstVsOne ?? '-'}; evaluating every commit: ${seconds(historyEvaluated?.totalMs)}, ${shown.historyEvaluatedVsOne ?? '-'})`,
    portalVsBareAstro: portal && bareAstro ? `${seconds(portal.totalMs)} for ${portal.pages} pages vs ${seconds(bareAstro.totalMs)} for ${bareAstro.pages}` : '-',
    pdfVsBarePdfkit: pdf && barePdf ? `${pdf.pagesPerSecond.toFixed(1)} pages/s (${pdf.pages} pages, ${pdf.packets} packets) vs ${barePdf.pagesPerSecond.toFixed(1)} pages/s` : '-',
    peakRssMB: cold ? `cold load + evaluate of ${cold.evidence} files and ${cold.earlierVersions} earlier versions` : '-',
  };
  const rows = (Object.keys(figures) as (keyof typeof figures)[]).map((k) => {
    const v = figures[k];
    const met = v === null ? 'n/a' : v <= limits[k] ? 'met' : 'missed';
    const all = rounds.map((r) => r.figures[k]).filter((x): x is number => x !== null);
    const spread = rounds.length > 1 && all.length ? ` (${Math.min(...all)}–${Math.max(...all)})` : '';
    return [k, v === null ? '-' : `${v}${spread}`, `${targets[k]}: ${options.size === (k === 'peakRssMB' ? 'L' : 'M') ? met : `${met} at ${options.size}`}`, measured[k]];
  });
  const header = ['figure', rounds.length > 1 ? `median (range) of ${rounds.length}` : 'value', 'target', rounds.length > 1 ? `measured (round ${rounds.indexOf(shown) + 1})` : 'measured'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [
    `evident bench, size ${options.size} (${spec.products} products, ${spec.projects} projects, ${spec.evidence} evidence files, ${commits} commits), seed ${options.seed}`,
    `evident ${details.source.commit}${details.source.srcChanges ? ` with uncommitted src/ changes ${details.source.srcChanges}` : ''}; ${details.machine.cpus} CPUs (${details.machine.cpuModel}), ${(details.machine.memoryMB / 1024).toFixed(1)} GiB, Node ${process.version}; ${((performance.now() - runStart) / 1000).toFixed(0)} s in all${repo.generatedMs !== null ? ` (generating ${seconds(repo.generatedMs)})` : ' (repo reused)'}`,
    '',
    line(header),
    ...rows.map(line),
    ...(failures.length ? ['', 'failures:', ...failures.map((f) => `  ${f}`)] : []),
    '',
  ].join('\n');
  process.stdout.write(out);
  if (options.json) process.stdout.write(`${JSON.stringify({ ...figures, details })}\n`);
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
