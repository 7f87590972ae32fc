// evident's own SBOM (scripts/sbom.ts): built from package-lock.json with the
// CycloneDX library, validated against the CycloneDX 1.6 JSON schema, and
// checked against the lock it came from.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCycloneDx } from '../../src/export/cdxa.ts';
import { buildSbom, integrityHashes, npmPurl, type PackageLock, sbomOfProject, serializeSbom, sourceDateEpoch } from '../../scripts/sbom.ts';
import { removeDir, repoRoot, tempDir } from '../helpers.ts';

const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Required<PackageLock>;
const sha512Hex = (integrity: string) => Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
let text: string;
let sbom: any;
let dir: string;

beforeAll(() => {
  text = sbomOfProject(repoRoot);
  sbom = JSON.parse(text);
  dir = tempDir();
});
afterAll(() => removeDir(dir));

const component = (bom: any, purl: string) => bom.components.find((c: any) => c.purl === purl);

describe('npm run sbom', () => {
  it('is valid CycloneDX 1.6', async () => {
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const { errors } = await validateCycloneDx(text);
    expect(errors).toBeNull();
  });

  it('runs as a command, writes the same BOM with --out, and answers --help', () => {
    const out = path.join(dir, 'sbom.cdx.json');
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/sbom.ts'), '--out', out], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
    expect(run.stderr).toMatch(/^wrote .*sbom\.cdx\.json: \d+ components, valid CycloneDX 1\.6/);
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
    const help = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/sbom.ts'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: node scripts\/sbom\.ts/);
    const bad = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/sbom.ts'), '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });

  it('describes evident itself and the tools', () => {
    const root = lock.packages[''];
    expect(sbom.metadata.component).toMatchObject({ type: 'application', name: 'evident', version: root.version, purl: `pkg:npm/evident@${root.version}`, licenses: [{ license: { id: 'Apache-2.0' } }] });
    expect(sbom.metadata.tools.components.map((t: any) => t.name).sort()).toEqual(['cyclonedx-library', 'evident']);
    expect(sbom.metadata.timestamp).toBeUndefined();
  });

  it.each(['yaml', 'ajv'])('lists %s with its purl, licence and the SHA-512 of its lock integrity', (name) => {
    const entry = lock.packages[`node_modules/${name}`];
    const c = component(sbom, `pkg:npm/${name}@${entry.version}`);
    expect(c).toMatchObject({ type: 'library', name, version: entry.version, scope: 'required', 'bom-ref': `pkg:npm/${name}@${entry.version}` });
    expect(c.hashes).toEqual([{ alg: 'SHA-512', content: sha512Hex(entry.integrity!) }]);
    expect(c.hashes[0].content).toMatch(/^[0-9a-f]{128}$/);
    expect(c.licenses).toEqual([{ license: { id: entry.license } }]);
  });

  it('encodes scoped names in purls', () => {
    const entry = lock.packages['node_modules/@cyclonedx/cyclonedx-library'];
    expect(component(sbom, `pkg:npm/%40cyclonedx/cyclonedx-library@${entry.version}`)).toMatchObject({ group: '@cyclonedx', name: 'cyclonedx-library' });
  });

  it('has the dependency graph of the lock', () => {
    const dependsOn = (purl: string) => sbom.dependencies.find((d: any) => d.ref === purl)?.dependsOn ?? [];
    const root = dependsOn(`pkg:npm/evident@${lock.packages[''].version}`);
    expect(root).toContain(`pkg:npm/yaml@${lock.packages['node_modules/yaml'].version}`);
    const ajv = lock.packages['node_modules/ajv'];
    const expected = Object.keys(ajv.dependencies ?? {}).map((d) => `pkg:npm/${d}@${lock.packages[`node_modules/${d}`].version}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(dependsOn(`pkg:npm/ajv@${ajv.version}`)).toEqual(expect.arrayContaining(expected));
  });

  it('leaves out development dependencies unless asked, then marks them optional', () => {
    const dev = Object.entries(lock.packages).find(([p, e]) => e.dev && p === 'node_modules/vitest')!;
    const purl = npmPurl('vitest', dev[1].version!);
    expect(component(sbom, purl)).toBeUndefined();
    const withDev = JSON.parse(serializeSbom(buildSbom(lock, { dev: true })));
    expect(component(withDev, purl)).toMatchObject({ scope: 'optional', properties: expect.arrayContaining([{ name: 'cdx:npm:package:development', value: 'true' }]) });
  });

  it('is identical when built twice; SOURCE_DATE_EPOCH sets the timestamp', () => {
    expect(sbomOfProject(repoRoot)).toBe(text);
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const dated = JSON.parse(sbomOfProject(repoRoot, { timestamp: sourceDateEpoch('1767225600') }));
    expect(dated.metadata.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(() => sourceDateEpoch('yesterday')).toThrow(/whole seconds/);
  });
});

describe('building from a lock', () => {
  const digest = (alg: string, text: string) => createHash(alg).update(text).digest();
  const integrityOfA = `sha512-${digest('sha512', 'a').toString('base64')} sha1-${digest('sha1', 'a').toString('base64')}`;
  const small: PackageLock = {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0', license: 'MIT', dependencies: { a: '^1', '@s/b': '^2' } },
      'node_modules/a': { version: '1.0.0', integrity: integrityOfA, license: 'MIT', dependencies: { c: '^1' } },
      'node_modules/a/node_modules/c': { version: '1.1.0', license: '(MIT OR Apache-2.0)' },
      'node_modules/c': { version: '2.0.0', license: 'SEE LICENSE IN LICENSE.txt' },
      'node_modules/@s/b': { version: '2.0.0+build.1', license: 'apache-2.0', dependencies: { c: '^2' }, optional: true },
      'node_modules/d': { version: '1.0.0', dev: true },
    },
  };

  it('resolves dependencies as Node does, keeps licences as SPDX ids, expressions or names', async () => {
    const bom = JSON.parse(serializeSbom(buildSbom(small)));
    expect((await validateCycloneDx(JSON.stringify(bom))).errors).toBeNull();
    expect(bom.components.map((c: any) => c.purl)).toEqual(['pkg:npm/%40s/b@2.0.0%2Bbuild.1', 'pkg:npm/a@1.0.0', 'pkg:npm/c@1.1.0', 'pkg:npm/c@2.0.0']);
    const deps = Object.fromEntries(bom.dependencies.map((d: any) => [d.ref, d.dependsOn ?? []]));
    expect(deps['pkg:npm/a@1.0.0']).toEqual(['pkg:npm/c@1.1.0']);
    expect(deps['pkg:npm/%40s/b@2.0.0%2Bbuild.1']).toEqual(['pkg:npm/c@2.0.0']);
    expect(deps['pkg:npm/app@1.0.0']).toEqual(['pkg:npm/%40s/b@2.0.0%2Bbuild.1', 'pkg:npm/a@1.0.0']);
    expect(component(bom, 'pkg:npm/%40s/b@2.0.0%2Bbuild.1')).toMatchObject({ scope: 'optional', licenses: [{ license: { id: 'Apache-2.0' } }] });
    expect(component(bom, 'pkg:npm/a@1.0.0').hashes).toEqual([
      { alg: 'SHA-1', content: digest('sha1', 'a').toString('hex') },
      { alg: 'SHA-512', content: digest('sha512', 'a').toString('hex') },
    ]);
    expect(component(bom, 'pkg:npm/c@1.1.0').licenses).toEqual([{ expression: '(MIT OR Apache-2.0)' }]);
    expect(component(bom, 'pkg:npm/c@2.0.0').licenses).toEqual([{ license: { name: 'SEE LICENSE IN LICENSE.txt' } }]);
  });

  it('turns integrity strings into hex hashes', () => {
    expect([...integrityHashes(integrityOfA)]).toEqual([
      ['SHA-512', digest('sha512', 'a').toString('hex')],
      ['SHA-1', digest('sha1', 'a').toString('hex')],
    ]);
    expect([...integrityHashes('md5-AAAA sha512-not*base64')]).toEqual([]);
    expect(integrityHashes(undefined).size).toBe(0);
  });
});
