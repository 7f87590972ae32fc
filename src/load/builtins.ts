// The built-in catalogs ship as YAML data inside the package (src/catalogs).
// Parsing them with positions costs about 0.2 s in every process, so with a
// cache folder the parsed documents are kept there as JSON (data and position
// snapshots), keyed by the catalogs' text and the parser's code and version.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { documentFromSnapshot, parseYaml, type PositionSnapshot } from '../parse/yaml.ts';
import { codeVersion, writeAtomically } from './evidence-cache.ts';
import type { ParsedDocument } from './load-content.ts';

// The YAML data stays in src/catalogs in the package, also when the code runs compiled from lib/.
export const catalogsDir = fileURLToPath(new URL('../../src/catalogs/', import.meta.url));

export const parserVersion = `${codeVersion('../parse/')}-yaml${(createRequire(import.meta.url)('yaml/package.json') as { version: string }).version}`;

let cached: ParsedDocument[] | undefined;

export interface Snapshot {
  file: string;
  data: unknown;
  positions: PositionSnapshot;
}

let sourcesRead: { sources: { file: string; text: string }[]; version: string } | undefined;

/** The catalogs' YAML files, read once per process, and a hash of them and of the parser's code and version. */
function catalogSources(): { sources: { file: string; text: string }[]; version: string } {
  if (sourcesRead) return sourcesRead;
  const sources: { file: string; text: string }[] = [];
  for (const sub of ['requirements', 'frameworks']) {
    const dir = path.join(catalogsDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      sources.push({ file: `builtin:${sub}/${name}`, text: readFileSync(path.join(dir, name), 'utf8') });
    }
  }
  const hash = createHash('sha256').update(parserVersion);
  for (const s of sources) hash.update(`\0${s.file}\0${s.text}`);
  return (sourcesRead = { sources, version: hash.digest('hex').slice(0, 16) });
}

/** Changes whenever a built-in catalog or the parser that reads it changes. */
export function catalogsVersion(): string {
  return catalogSources().version;
}

/**
 * The catalogs as parsed, shipped beside them (`npm run schemas` writes it),
 * with the version of the catalogs and parser it was made from: a run with no
 * cache folder, or an empty one, does not parse them. A snapshot of other
 * catalogs (edited since) is not used.
 */
export const bundledSnapshotFile = path.join(catalogsDir, 'parsed.generated.json');

/**
 * Built-in frameworks and requirements, parsed once per process (or read from
 * the cache folder, or from the shipped snapshot). File names read `builtin:<path>`.
 */
export function loadBuiltinDocuments(cacheDir?: string, bundled = bundledSnapshotFile): ParsedDocument[] {
  if (cached) return cached;
  const { sources, version } = catalogSources();
  const snapshotFile = cacheDir ? path.join(cacheDir, `builtins-${version}.json`) : undefined;
  const kept = (snapshotFile ? readSnapshots(snapshotFile) : undefined) ?? readBundled(version, bundled);
  if (kept) return (cached = kept.map((s) => ({ file: s.file, doc: documentFromSnapshot(s.data, s.positions), data: s.data })));
  const docs = parseCatalogs(sources);
  if (snapshotFile) writeSnapshots(snapshotFile, docs);
  return (cached = docs);
}

function parseCatalogs(sources: { file: string; text: string }[]): ParsedDocument[] {
  const docs: ParsedDocument[] = [];
  for (const { file, text } of sources) {
    const parsed = parseYaml(text, file);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      throw new Error(`built-in catalog ${file} does not parse: ${parsed.diagnostics[0].message}`);
    }
    for (const doc of parsed.documents) docs.push({ file, doc, data: doc.data });
  }
  return docs;
}

/** The text of `bundledSnapshotFile` for the catalogs as they are (parsed now). */
export function bundledSnapshotText(): string {
  const { sources, version } = catalogSources();
  const text = snapshotText(parseCatalogs(sources));
  if (text === undefined) throw new Error('a built-in catalog holds a value JSON cannot carry (.inf, NaN)');
  return `{"version":${JSON.stringify(version)},"documents":${text}}\n`;
}

/** The shipped snapshot's documents, if it was made from catalogs and a parser of this `version`. */
export function readBundled(version: string, file = bundledSnapshotFile): Snapshot[] | undefined {
  try {
    const bundled = JSON.parse(readFileSync(file, 'utf8')) as { version: string; documents: Snapshot[] };
    return bundled.version === version ? bundled.documents : undefined;
  } catch {
    return undefined; // not shipped: parse the YAML
  }
}

function readSnapshots(file: string): Snapshot[] | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Snapshot[];
  } catch {
    return undefined; // absent or unreadable: parse the YAML
  }
}

/** The documents as JSON, when JSON carries their data exactly (it would not carry .inf or NaN, say). */
function snapshotText(docs: ParsedDocument[]): string | undefined {
  const text = JSON.stringify(docs.map((d): Snapshot => ({ file: d.file, data: d.data, positions: d.doc.snapshot() })));
  const back = JSON.parse(text) as Snapshot[];
  return docs.every((d, i) => isDeepStrictEqual(back[i]!.data, d.data)) ? text : undefined;
}

/** Kept only when JSON carries the data exactly. */
function writeSnapshots(file: string, docs: ParsedDocument[]): void {
  const text = snapshotText(docs);
  if (text === undefined) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, text);
  } catch {
    /* a read-only cache: parse again next time */
  }
}
