// What a warm run would otherwise compute again from unchanged files: parsed
// YAML resources, proofs' front matter, and the blame of the files that hold
// exceptions and overrides. Kept in memory for the process (`history` loads
// many commits) and, with a cache folder, in one JSON file there, so that the
// next run reads them instead of parsing YAML and starting a git process per
// product file. Parsed text is keyed by its SHA-256 and path, blame by the
// commit that last changed the file and its path: both are pure in their key
// (and in the parser's code and version, which name the file).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parseFrontMatter, type FrontMatterResult } from '../parse/front-matter.ts';
import { documentFromSnapshot, parseYaml, type PositionSnapshot, type YamlDocument, type YamlParseResult } from '../parse/yaml.ts';
import { parserVersion } from './builtins.ts';
import { writeAtomically } from './evidence-cache.ts';

interface KeptDocument {
  data: unknown;
  positions: PositionSnapshot;
}

/** On disk: `y` a YAML stream, `f` a front matter and where the body starts, `b` blame (line, commit). */
type Entry = { y: KeptDocument[]; d: Diagnostic[] } | { f?: KeptDocument; body: number; d: Diagnostic[] } | { b: [number, string][] };

/** Entries beyond this are dropped when written, those this run did not use first. */
const maxEntries = 100_000;

export class ParsedStore {
  private readonly file: string | undefined;
  private disk: Map<string, Entry> | undefined;
  /** Results built in this process, by key: the same objects for every load that asks. */
  private live = new Map<string, unknown>();
  private used = new Set<string>();
  private added = false;

  /** Without a cache folder it only remembers, for this process. */
  constructor(cacheRoot: string | undefined) {
    this.file = cacheRoot ? path.join(cacheRoot, `parsed-${parserVersion}.json`) : undefined;
  }

  private entries(): Map<string, Entry> {
    if (!this.disk) {
      this.disk = new Map();
      if (this.file) {
        try {
          this.disk = new Map(Object.entries(JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Entry>));
        } catch {
          /* absent or unreadable: parsed again */
        }
      }
    }
    return this.disk;
  }

  private kept(key: string): Entry | undefined {
    const entry = this.entries().get(key);
    if (entry) this.used.add(key);
    return entry;
  }

  private keep(key: string, entry: Entry): void {
    this.entries().set(key, entry);
    this.used.add(key);
    this.added = true;
  }

  private remember<T>(key: string, value: T): T {
    if (this.live.size >= maxEntries) this.live.delete(this.live.keys().next().value!);
    this.live.set(key, value);
    return value;
  }

  /** A YAML stream's documents and problems. */
  yaml(text: string, sha256: string, file: string): YamlParseResult {
    const key = `y:${sha256}:${file}`;
    const live = this.live.get(key) as YamlParseResult | undefined;
    if (live) return live;
    const entry = this.kept(key);
    if (entry && 'y' in entry) return this.remember(key, { documents: entry.y.map((k) => documentFromSnapshot(k.data, k.positions)), diagnostics: entry.d });
    const parsed = parseYaml(text, file);
    const docs = parsed.documents.map(keptDocument);
    if (docs.every((d) => d !== undefined)) this.keep(key, { y: docs, d: parsed.diagnostics });
    return this.remember(key, parsed);
  }

  /** A Markdown file's front matter, body and problems. */
  frontMatter(text: string, sha256: string, file: string): FrontMatterResult {
    const key = `f:${sha256}:${file}`;
    const live = this.live.get(key) as FrontMatterResult | undefined;
    if (live) return live;
    const entry = this.kept(key);
    if (entry && 'body' in entry) {
      const body = text.slice(entry.body);
      return this.remember(key, { ...(entry.f ? { frontMatter: documentFromSnapshot(entry.f.data, entry.f.positions) } : {}), body, diagnostics: entry.d });
    }
    const parsed = parseFrontMatter(text, file);
    const fm = parsed.frontMatter ? keptDocument(parsed.frontMatter) : undefined;
    // The body is the end of the text; only where it starts is kept.
    if ((fm || !parsed.frontMatter) && text.endsWith(parsed.body)) this.keep(key, { ...(fm ? { f: fm } : {}), body: text.length - parsed.body.length, d: parsed.diagnostics });
    return this.remember(key, parsed);
  }

  /** Who last changed each line of `file` as of `commit`, the commit that last changed it. */
  async blame(commit: string, file: string, compute: () => Promise<Map<number, string>>): Promise<Map<number, string>> {
    const key = `b:${commit}:${file}`;
    const live = this.live.get(key) as Map<number, string> | undefined;
    if (live) return live;
    const entry = this.kept(key);
    if (entry && 'b' in entry) return this.remember(key, new Map(entry.b));
    const lines = await compute();
    this.keep(key, { b: [...lines] });
    return this.remember(key, lines);
  }

  /** Writes the file when this run added to it. */
  flush(): void {
    if (!this.file || !this.added) return;
    this.added = false;
    let entries = [...this.entries()];
    if (entries.length > maxEntries) entries = [...entries.filter(([k]) => !this.used.has(k)), ...entries.filter(([k]) => this.used.has(k))].slice(-maxEntries);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeAtomically(this.file, JSON.stringify(Object.fromEntries(entries)));
    } catch {
      /* a read-only cache: parsed again next time */
    }
  }
}

/** The document as plain data, or undefined when JSON would not carry its data exactly (.inf, NaN, -0). */
function keptDocument(doc: YamlDocument): KeptDocument | undefined {
  const kept = { data: doc.data, positions: doc.snapshot() };
  return isDeepStrictEqual(JSON.parse(JSON.stringify(kept.data) ?? 'null'), kept.data) ? kept : undefined;
}

/** One store per cache folder (and one without), shared by every load of the process. */
const stores = new Map<string, ParsedStore>();
export function parsedStore(cacheRoot: string | undefined): ParsedStore {
  const key = cacheRoot ?? '';
  let store = stores.get(key);
  if (!store) stores.set(key, (store = new ParsedStore(cacheRoot)));
  return store;
}
