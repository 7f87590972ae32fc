// The real command on fixture repos: exit codes, stdout vs stderr, formats.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cli, cliProcess, removeDir, repoRoot, tempDir, writeTree } from '../helpers.ts';

const scenario = path.join(repoRoot, 'test/fixtures/scenario');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('evident validate', () => {
  it('exits 0 on the bundled content and on the scenario', async () => {
    expect((await cli(['validate', '--content', 'content'])).code).toBe(0);
    expect((await cli(['validate', '--content', scenario])).code).toBe(0);
  });

  it('prints diagnostics on stdout as JSON and exits 1 on errors (real process)', () => {
    const dir = writeTree(tempDir(), { 'r.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: Bad_Name}\nspec: {}\n' });
    dirs.push(dir);
    const r = cliProcess(['validate', '--content', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics).toContainEqual({ file: 'r.yaml', line: 3, column: 18, severity: 'error', code: 'schema-invalid', message: expect.stringContaining('metadata.name must match'), hint: null });
  });

  it('prints stylish diagnostics like a compiler', async () => {
    const dir = writeTree(tempDir(), { 'r.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: ok}\nspec: {colour: red}\n' });
    dirs.push(dir);
    const r = await cli(['validate', '--content', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('r.yaml:4:8: warning: Unknown field "colour" in spec; it is ignored. [schema-unknown-field]');
  });
});

describe('evident evaluate', () => {
  it('prints one JSON document, identical for the same --now', async () => {
    const a = await cli(['evaluate', '--content', scenario, '--format', 'json', '--now', '2026-11-22']);
    const b = await cli(['evaluate', '--content', scenario, '--format', 'json', '--now', '2026-11-22T00:00:00Z']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).now).toBe('2026-11-22T00:00:00.000Z');
  });

  it('honours SOURCE_DATE_EPOCH when --now is absent', async () => {
    const r = await cli(['evaluate', '--content', scenario, '--format', 'json'], { env: { SOURCE_DATE_EPOCH: '1795392000' } });
    expect(JSON.parse(r.stdout).now).toBe(new Date(1795392000 * 1000).toISOString());
  });

  it('--fail-on exits 1 when a result has a listed status, and still prints the report', async () => {
    const r = await cli(['evaluate', '--content', scenario, '--format', 'json', '--now', '2026-11-22', '--fail-on', 'FAILED,EXPIRED']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).products).toHaveLength(1);
    expect((await cli(['evaluate', '--content', scenario, '--now', '2026-11-22', '--fail-on', 'GRACE'])).code).toBe(0);
    expect((await cli(['evaluate', '--content', scenario, '--now', '2026-11-22', '--fail-on', 'INACTIVE'])).code).toBe(1);
  });

  it.each([
    [['--now', 'yesterday'], /--now must be an ISO 8601 date/],
    [['--product', 'nope'], /--product: unknown product "nope"; known: acme/],
    [['--fail-on', 'FAILED,BROKEN'], /--fail-on: unknown status "BROKEN"; accepted: PASSED, GRACE/],
    [['--format', 'pdf'], /--format must be one of table, json, junit, markdown, csv/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with exit 2, one line, nothing on stdout', async (args, message) => {
    const r = await cli(['evaluate', '--content', scenario, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).toContain('usage: evident evaluate');
  });

  it('says so, with exit 2 and nothing on stdout, when the content root is not a folder', async () => {
    for (const command of ['validate', 'evaluate', 'build']) {
      const r = await cli([command, '--content', path.join(scenario, 'no-such-folder')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/The content root .*no-such-folder is not a folder: pass --content DIR/);
      expect(r.stderr).not.toMatch(/internal error|ENOENT/);
    }
  });

  it('writes JUnit, Markdown and CSV', async () => {
    const junit = (await cli(['evaluate', '--content', scenario, '--now', '2026-11-22', '--format', 'junit'])).stdout;
    expect(junit).toContain('<testsuites name="evident" tests="16" failures="6" errors="0">');
    expect(junit).toContain('<testsuite name="acme" tests="16" failures="6" errors="0" skipped="5"');
    const md = (await cli(['evaluate', '--content', scenario, '--now', '2026-11-22', '--format', 'markdown'])).stdout;
    expect(md).toContain('Score: **45.5%**');
    const csv = (await cli(['evaluate', '--content', scenario, '--now', '2026-11-22', '--format', 'csv'])).stdout;
    expect(csv.split('\r\n')[0]).toBe('product,requirement,project,status,underlying,overridden,parts,exception_expires,violations');
    expect(csv).toContain('acme,tests-ok,web,EXCEPTION,FAILED,no,');
  });
});

describe('catalog commands', () => {
  it('frameworks lists the built-ins with control counts', async () => {
    const r = await cli(['frameworks', '--content', scenario, '--format', 'json']);
    const byName = Object.fromEntries(JSON.parse(r.stdout).frameworks.map((f: { name: string; controls: number }) => [f.name, f.controls]));
    expect(byName).toMatchObject({ soc2: 61, 'iso27001-2022': 93, ssdf: 42, slsa: 8, 'slsa-source': 14, cra: 30, demo: 5 });
  });

  it('frameworks soc2 --format yaml loads back unchanged', async () => {
    const r = await cli(['frameworks', 'soc2', '--content', scenario, '--format', 'yaml']);
    const dir = writeTree(tempDir(), { 'soc2-copy.yaml': r.stdout.replace('name: soc2', 'name: soc2-copy') });
    dirs.push(dir);
    const again = await cli(['frameworks', 'soc2-copy', '--content', dir, '--format', 'yaml']);
    expect(again.stdout).toBe(r.stdout.replace('name: soc2', 'name: soc2-copy'));
    expect((await cli(['validate', '--content', dir])).code).toBe(0);
  });

  it('crosswalk between two frameworks as JSON and CSV', async () => {
    const r = await cli(['frameworks', 'soc2', '--crosswalk', 'iso27001-2022', '--format', 'json', '--content', scenario]);
    const rows = JSON.parse(r.stdout).mappings as { control: string; other: string; strength: string }[];
    expect(rows.some((x) => x.control === 'CC8.1')).toBe(true);
    const csv = (await cli(['frameworks', 'soc2', '--crosswalk', 'iso27001-2022', '--format', 'csv', '--content', scenario])).stdout;
    expect(csv.startsWith('control,other,strength,requirements\r\n')).toBe(true);
  });

  it('requirements, policies and coverage', async () => {
    expect((await cli(['requirements', 'no-vulnerabilities-high', '--content', scenario])).stdout).toContain('cves-in-kev');
    const policies = JSON.parse((await cli(['policies', '--format', 'json', '--content', scenario])).stdout).policies.map((p: { name: string }) => p.name);
    expect(policies).toEqual(expect.arrayContaining(['sbom-present', 'vulnerabilities', 'artifact-signed', 'commits-signed']));
    expect((await cli(['policies', 'container-signed', '--content', scenario])).stdout).toContain('[artifact-signed]');
    const cov = JSON.parse((await cli(['coverage', 'vuln-high', '--format', 'json', '--content', scenario])).stdout);
    expect(cov.projects.map((p: { project: string; coverage: string }) => `${p.project}:${p.coverage}`)).toEqual(['api:FULL', 'cli:NONE', 'web:NONE']);
    expect(cov.projects[2].policies[0].mismatches[0].with).toEqual({ severity: 'CRITICAL', unknownAs: 'HIGH' });
  });

  it('evidence --format json lists every item with path, project, kind, timestamp, sha256 and commit', async () => {
    const r = JSON.parse((await cli(['evidence', '--content', scenario, '--format', 'json'])).stdout);
    const grype = r.evidence.find((e: { path: string }) => e.path === 'evidence/api/grype.json');
    expect(grype).toMatchObject({ project: 'api', kind: 'grype', timestamp: '2026-11-20T10:00:00.000Z', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.evidence.map((e: { kind: string }) => e.kind).sort()).toEqual(['cyclonedx', 'grype', 'grype', 'junit', 'junit']);
  });
});

describe('usage and init', () => {
  it('unknown command exits 2 with the usage', async () => {
    const r = await cli(['frobnicate']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('usage: evident <command>');
  });

  it('init writes a content repo that validates', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const target = path.join(dir, 'new');
    expect((await cli(['init', target])).code).toBe(0);
    expect(existsSync(path.join(target, 'evident.yaml'))).toBe(true);
    expect(parseYaml(readFileSync(path.join(target, 'evident.yaml'), 'utf8')).kind).toBe('Config');
    expect((await cli(['validate', '--content', target])).code).toBe(0);
    expect((await cli(['init', target])).code).toBe(2); // refuses a non-empty folder
  });
});

describe('the command’s entry (src/cli/bin.ts)', () => {
  /** The real command, without the compile cache settings of the environment the tests run in. */
  const run = (env: Record<string, string>) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^NODE_(DISABLE_)?COMPILE_CACHE$/.test(k)));
    return spawnSync(process.execPath, [path.join(repoRoot, 'src/cli/bin.ts'), 'validate', '--content', 'content'], { cwd: repoRoot, env: { ...base, ...env }, encoding: 'utf8' }).status;
  };
  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0);

  it('keeps Node’s compile cache in evident’s cache folder, none without one, and leaves NODE_COMPILE_CACHE to the user', () => {
    const cacheDir = tempDir();
    const home = tempDir();
    dirs.push(cacheDir, home);
    expect(run({ EVIDENT_CACHE_DIR: cacheDir })).toBe(0);
    expect(files(path.join(cacheDir, 'node-compile-cache'))).toBeGreaterThan(10); // evident's modules and its dependencies'
    // With the cache folder off, nothing is written anywhere evident chooses.
    expect(run({ EVIDENT_CACHE_DIR: '', HOME: home, XDG_CACHE_HOME: '' })).toBe(0);
    expect(files(home)).toBe(0);
    // The user's own setting wins: Node uses it, evident's folder gets none.
    const other = tempDir();
    dirs.push(other);
    const user = path.join(home, 'node');
    expect(run({ EVIDENT_CACHE_DIR: other, NODE_COMPILE_CACHE: user })).toBe(0);
    expect(files(user)).toBeGreaterThan(10);
    expect(files(path.join(other, 'node-compile-cache'))).toBe(0);
  });

  it('hands the compile cache it enabled to the parse workers through their environment', () => {
    const cacheDir = tempDir();
    dirs.push(cacheDir);
    const script = `import { enableCompileCache, workerEnv } from ${JSON.stringify(path.join(repoRoot, 'src/load/cache-dir.ts'))};
console.log(JSON.stringify(workerEnv()?.NODE_COMPILE_CACHE ?? null));
enableCompileCache(${JSON.stringify(cacheDir)});
console.log(JSON.stringify(workerEnv()?.NODE_COMPILE_CACHE ?? null));`;
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^NODE_(DISABLE_)?COMPILE_CACHE$/.test(k)));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: base });
    expect(out.trim().split('\n').map((l) => JSON.parse(l))).toEqual([null, path.join(cacheDir, 'node-compile-cache')]);
  });
});

describe('commands load what they use', () => {
  /** The packages a command's module loads (through Node's module hooks, in a process of its own). */
  const packagesLoaded = (command: string): string[] => {
    const script = `import module from 'node:module';
const seen = new Set();
module.registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url); if (m) seen.add(m[1]); return r; } });
const { run } = await import(${JSON.stringify(path.join(repoRoot, 'src/cli/run.ts'))});
await run([${JSON.stringify(command)}, '--help'], { stdout: () => {}, stderr: () => {}, env: {}, cwd: process.cwd() });
console.log(JSON.stringify([...seen].sort()));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
  };

  it('evaluate loads neither the PDF nor the portal libraries; build does', () => {
    const evaluate = packagesLoaded('evaluate');
    expect(evaluate).toContain('yaml');
    for (const heavy of ['pdfkit', 'fontkit', 'astro', 'pagefind']) expect(evaluate).not.toContain(heavy);
    expect(packagesLoaded('build')).toContain('pdfkit');
  });
});
