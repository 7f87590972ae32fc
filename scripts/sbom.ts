// evident's own SBOM: a CycloneDX 1.6 JSON BOM of its dependencies, built from
// package-lock.json (lockfileVersion 2 or 3, the `packages` map) with the
// CycloneDX library's models and serializer, and validated before it is written.
//   components     one per package name@version: purl, licence (from the installed
//                  package.json, else the lock), hashes from `integrity`, scope
//                  (required; optional for optional and dev packages), npm install paths
//   dependencies   the graph from each lock entry's dependencies, resolved as Node does
//   metadata       evident itself as the component, the tools, a timestamp from
//                  SOURCE_DATE_EPOCH (none without it, so that rebuilds are identical)
// The serial number is a UUID v5 of the BOM's content.
// Usage: node scripts/sbom.ts [--help] [--dev] [--out FILE]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contrib, Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { validateCycloneDx } from '../src/export/cdxa.ts';
import { compareText, uuidV5 } from '../src/export/oscal.ts';

const usage = `usage: node scripts/sbom.ts [--help] [--dev] [--out FILE]
Writes a CycloneDX 1.6 SBOM (JSON) of evident's dependencies, from package-lock.json.
  --dev        include development dependencies (scope "optional")
  --out FILE   write to FILE instead of standard output
The BOM is validated against the CycloneDX 1.6 JSON schema first; exit 1 if invalid.
SOURCE_DATE_EPOCH (seconds) sets metadata.timestamp; without it there is none.`;

export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
  extraneous?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface PackageLock {
  name?: string;
  version?: string;
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
}

export interface SbomOptions {
  /** Include development dependencies. */
  dev?: boolean;
  /** metadata.timestamp; none when undefined. */
  timestamp?: Date;
  /** The `license` of the package installed at a lock path (`node_modules/yaml`), if it can be read. */
  installedLicense?: (lockPath: string) => string | undefined;
}

const spdxParse = createRequire(import.meta.url)('spdx-expression-parse') as (expression: string) => unknown;
const licenses = new Contrib.License.Factories.LicenseFactory((expression) => void spdxParse(expression));

const hashAlgorithms: Record<string, Enums.HashAlgorithm> = {
  sha1: Enums.HashAlgorithm['SHA-1'],
  sha256: Enums.HashAlgorithm['SHA-256'],
  sha384: Enums.HashAlgorithm['SHA-384'],
  sha512: Enums.HashAlgorithm['SHA-512'],
};

/** Subresource-integrity strings (`sha512-<base64>`, several separated by spaces) → CycloneDX hashes in hex. */
export function integrityHashes(integrity: string | undefined): Models.HashDictionary {
  const hashes = new Models.HashDictionary();
  for (const token of (integrity ?? '').split(/\s+/)) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (m) hashes.set(hashAlgorithms[m[1]], Buffer.from(m[2], 'base64').toString('hex'));
  }
  return hashes;
}

/** The package URL of an npm package: `pkg:npm/%40scope/name@version`. */
export function npmPurl(name: string, version: string): string {
  const [scope, bare] = name.startsWith('@') ? [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : [undefined, name];
  return `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ''}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

/** The package name a lock path installs (`node_modules/a/node_modules/@s/b` → `@s/b`). */
function nameAt(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Where Node would find `dependency` from the package installed at `from` (nearest node_modules upwards). */
export function resolveIn(packages: Record<string, LockEntry>, from: string, dependency: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${dependency}` : `node_modules/${dependency}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

function licenseOf(value: string | undefined): Models.LicenseRepository {
  const repository = new Models.LicenseRepository();
  const text = value?.trim();
  if (text) repository.add(licenses.makeFromString(text));
  return repository;
}

/** Builds the BOM model (no serial number: see {@link serializeSbom}). */
export function buildSbom(lock: PackageLock, options: SbomOptions = {}): Models.Bom {
  const packages = lock.packages;
  if (!packages || typeof packages !== 'object') throw new Error('package-lock.json has no "packages" map (lockfileVersion 2 or 3 is needed; run npm install with npm 7 or later).');
  const root = packages[''] ?? {};
  const rootName = root.name ?? lock.name ?? 'evident';
  const rootVersion = root.version ?? lock.version ?? '0.0.0';
  const included = (entry: LockEntry) => !entry.link && !entry.extraneous && (options.dev || !entry.dev);

  const bom = new Models.Bom();
  const evident = new Models.Component(Enums.ComponentType.Application, rootName, {
    version: rootVersion,
    bomRef: npmPurl(rootName, rootVersion),
    purl: npmPurl(rootName, rootVersion),
    licenses: licenseOf(root.license),
  });
  bom.metadata.component = evident;
  if (options.timestamp) bom.metadata.timestamp = options.timestamp;
  const library = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json'), 'utf8')) as { name: string; version: string };
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Library, 'cyclonedx-library', { group: '@cyclonedx', version: library.version, purl: npmPurl(library.name, library.version) }));
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, rootName, { version: rootVersion }));

  // One component per name@version, however many places it is installed in.
  const byPurl = new Map<string, Models.Component>();
  const atPath = new Map<string, Models.Component>();
  const paths = Object.keys(packages).filter((p) => p.startsWith('node_modules/') || p.includes('/node_modules/')).sort(compareText);
  for (const lockPath of paths) {
    const entry = packages[lockPath];
    if (!included(entry) || !entry.version) continue;
    const name = entry.name ?? nameAt(lockPath);
    const purl = npmPurl(name, entry.version);
    let component = byPurl.get(purl);
    if (!component) {
      const slash = name.startsWith('@') ? name.indexOf('/') : -1;
      const hashes = integrityHashes(entry.integrity);
      component = new Models.Component(Enums.ComponentType.Library, slash < 0 ? name : name.slice(slash + 1), {
        ...(slash < 0 ? {} : { group: name.slice(0, slash) }),
        version: entry.version,
        bomRef: purl,
        purl,
        scope: entry.dev || entry.optional || entry.devOptional ? Enums.ComponentScope.Optional : Enums.ComponentScope.Required,
        hashes,
        licenses: licenseOf(options.installedLicense?.(lockPath) ?? entry.license),
      });
      if (entry.resolved && /^https?:/.test(entry.resolved)) component.externalReferences.add(new Models.ExternalReference(entry.resolved, Enums.ExternalReferenceType.Distribution, { hashes: integrityHashes(entry.integrity) }));
      if (entry.dev) component.properties.add(new Models.Property('cdx:npm:package:development', 'true'));
      byPurl.set(purl, component);
      bom.components.add(component);
    }
    component.properties.add(new Models.Property('cdx:npm:package:path', lockPath));
    atPath.set(lockPath, component);
  }

  const link = (from: string, into: Models.Component, names: Record<string, string> | undefined) => {
    for (const dependency of Object.keys(names ?? {})) {
      const target = resolveIn(packages, from, dependency);
      const component = target === undefined ? undefined : atPath.get(target);
      if (component && component !== into) into.dependencies.add(component.bomRef);
    }
  };
  for (const [lockPath, component] of atPath) {
    const entry = packages[lockPath];
    link(lockPath, component, entry.dependencies);
    link(lockPath, component, entry.optionalDependencies);
    link(lockPath, component, entry.peerDependencies);
  }
  link('', evident, root.dependencies);
  link('', evident, root.optionalDependencies);
  if (options.dev) link('', evident, root.devDependencies);
  return bom;
}

/** Serialises with sorted lists; the serial number is a UUID v5 of the content without it. */
export function serializeSbom(bom: Models.Bom): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  bom.serialNumber = undefined;
  const unnumbered = serializer.serialize(bom, { sortLists: true, space: 2 });
  bom.serialNumber = `urn:uuid:${uuidV5(JSON.stringify(['sbom', unnumbered]))}`;
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}

/** Reads the lock and the installed packages' licences under `root`. */
export function sbomOfProject(root: string, options: Omit<SbomOptions, 'installedLicense'> = {}): string {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as PackageLock;
  const installedLicense = (lockPath: string): string | undefined => {
    let manifest: { license?: unknown; licenses?: unknown };
    try {
      manifest = JSON.parse(readFileSync(path.join(root, lockPath, 'package.json'), 'utf8'));
    } catch {
      return undefined; // not installed here (another platform's optional package): the lock's licence is used
    }
    if (typeof manifest.license === 'string') return manifest.license;
    if (manifest.license && typeof (manifest.license as { type?: unknown }).type === 'string') return (manifest.license as { type: string }).type;
    // The legacy `licenses` array: several licences the user may choose from.
    if (Array.isArray(manifest.licenses)) {
      const types = manifest.licenses.map((l: { type?: unknown }) => l?.type).filter((t): t is string => typeof t === 'string');
      if (types.length) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
    }
    return undefined;
  };
  return serializeSbom(buildSbom(lock, { ...options, installedLicense }));
}

/** SOURCE_DATE_EPOCH as a date; undefined when unset; an error when it is not a whole number of seconds. */
export function sourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${value}".`);
  return new Date(Number(value) * 1000);
}

async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let dev = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      return 0;
    } else if (arg === '--dev') dev = true;
    else if (arg === '--out' && i + 1 < argv.length) out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else {
      console.error(`Unknown argument "${arg}".\n${usage}`);
      return 2;
    }
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  let timestamp: Date | undefined;
  try {
    timestamp = sourceDateEpoch(process.env.SOURCE_DATE_EPOCH);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const json = sbomOfProject(root, { dev, timestamp });
  const { errors, validator } = await validateCycloneDx(json);
  if (errors) {
    console.error(`The SBOM is not valid CycloneDX 1.6 (${validator} validator); nothing written:\n${JSON.stringify(errors, null, 2)}`);
    return 1;
  }
  if (out === undefined) {
    process.stdout.write(json);
  } else {
    writeFileSync(`${out}.tmp`, json);
    renameSync(`${out}.tmp`, out);
    const count = (JSON.parse(json) as { components?: unknown[] }).components?.length ?? 0;
    console.error(`wrote ${out}: ${count} components, valid CycloneDX 1.6 (${validator} validator)`);
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
