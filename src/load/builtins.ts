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

interface Snapshot {
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

/** Built-in frameworks and requirements, parsed once per process. File names read `builtin:<path>`. */
export function loadBuiltinDocuments(cacheDir?: string): ParsedDocument[] {
  if (cached) return cached;
  const { sources, version } = catalogSources();
  const snapshotFile = cacheDir ? path.join(cacheDir, `builtins-${version}.json`) : undefined;
  const kept = snapshotFile ? readSnapshots(snapshotFile) : undefined;
  if (kept) return (cached = kept.map((s) => ({ file: s.file, doc: documentFromSnapshot(s.data, s.positions), data: s.data })));

  const docs: ParsedDocument[] = [];
  for (const { file, text } of sources) {
    const parsed = parseYaml(text, file);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      throw new Error(`built-in catalog ${file} does not parse: ${parsed.diagnostics[0].message}`);
    }
    for (const doc of parsed.documents) docs.push({ file, doc, data: doc.data });
  }
  if (snapshotFile) writeSnapshots(snapshotFile, docs);
  return (cached = docs);
}

function readSnapshots(file: string): Snapshot[] | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Snapshot[];
  } catch {
    return undefined; // absent or unreadable: parse the YAML
  }
}

/** Kept only when JSON carries the data exactly (it would not carry .inf or NaN, say). */
function writeSnapshots(file: string, docs: ParsedDocument[]): void {
  const text = JSON.stringify(docs.map((d): Snapshot => ({ file: d.file, data: d.data, positions: d.doc.snapshot() })));
  const back = JSON.parse(text) as Snapshot[];
  if (!docs.every((d, i) => isDeepStrictEqual(back[i]!.data, d.data))) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, text);
  } catch {
    /* a read-only cache: parse again next time */
  }
}
