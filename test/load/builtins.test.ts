// The built-in catalogs kept as JSON (shipped, and in the cache) answer every
// position query as the parsed YAML does, and a run that reads them gives the
// same report.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bundledSnapshotFile, bundledSnapshotText, catalogsDir, catalogsVersion, readBundled } from '../../src/load/builtins.ts';
import { documentFromSnapshot, parseYaml, type YamlDocument } from '../../src/parse/yaml.ts';
import { expectSameDocument } from './positions.ts';
import { cliProcess, removeDir, repoRoot, tempDir } from '../helpers.ts';

function expectSamePositions(parsed: YamlDocument, label: string) {
  expectSameDocument(documentFromSnapshot(JSON.parse(JSON.stringify(parsed.data)), JSON.parse(JSON.stringify(parsed.snapshot()))), parsed, label);
}

describe('built-in catalogs kept in the cache', () => {
  it('a position snapshot answers like the parsed document, for every path of every built-in catalog', () => {
    let documents = 0;
    for (const sub of ['requirements', 'frameworks']) {
      for (const name of readdirSync(path.join(catalogsDir, sub))) {
        for (const doc of parseYaml(readFileSync(path.join(catalogsDir, sub, name), 'utf8'), name).documents) {
          expectSamePositions(doc, `${sub}/${name}`);
          documents++;
        }
      }
    }
    expect(documents).toBeGreaterThan(20);
  });

  it('and for empty values, flow collections, nulls in lists, quoted keys and several documents', () => {
    const text = ['a:', '  b:', '  c: [1, {d: 2}]', '  "e f": ~', 'list:', '  -', '  - x', '  - {y: }', '---', '- 1', '- [2, 3]', ''].join('\n');
    const { documents } = parseYaml(text, 'edge.yaml');
    expect(documents).toHaveLength(2);
    documents.forEach((d, i) => expectSamePositions(d, `document ${i}`));
  });

  it('the shipped snapshot is current (run `npm run schemas` after a change), and one of other catalogs is not used', () => {
    expect(readFileSync(bundledSnapshotFile, 'utf8')).toBe(bundledSnapshotText());
    expect(readBundled(catalogsVersion())?.length).toBeGreaterThan(20);
    expect(readBundled('0000000000000000')).toBeUndefined();
    expect(readBundled(catalogsVersion(), path.join(catalogsDir, 'no-such-file.json'))).toBeUndefined();
  });

  it('without a current shipped snapshot, a run parses them and keeps them in the cache; the next reads them from there', async () => {
    const cache = tempDir('evident-builtins-');
    try {
      const missing = path.join(cache, 'not-shipped.json');
      const fresh = async () => {
        vi.resetModules(); // the documents are held per module instance
        return (await import('../../src/load/builtins.ts')).loadBuiltinDocuments(cache, missing);
      };
      const parsed = await fresh();
      expect(readdirSync(cache).filter((n) => /^builtins-[0-9a-f]{16}\.json$/.test(n))).toHaveLength(1);
      const kept = await fresh();
      expect(kept).not.toBe(parsed);
      expect(kept.map((d) => [d.file, d.data])).toEqual(parsed.map((d) => [d.file, d.data]));
      kept.forEach((d, i) => expectSameDocument(d.doc, parsed[i]!.doc, d.file));
    } finally {
      removeDir(cache);
    }
  });

  it('a run with a cache folder gives the report of a run without one', () => {
    const cache = tempDir('evident-builtins-');
    try {
      const args = ['evaluate', '--content', path.join(repoRoot, 'test/fixtures/scenario'), '--format', 'json', '--now', '2026-06-01T00:00:00Z'];
      const first = cliProcess(args, { env: { EVIDENT_CACHE_DIR: cache } });
      // The shipped snapshot serves: nothing of the catalogs goes into the cache.
      expect(readdirSync(cache).filter((n) => n.startsWith('builtins-'))).toEqual([]);
      const second = cliProcess(args, { env: { EVIDENT_CACHE_DIR: cache } });
      const uncached = cliProcess(args, { env: { EVIDENT_CACHE_DIR: '' } });
      expect(first.stdout.length).toBeGreaterThan(1000);
      expect(second.stdout).toBe(first.stdout);
      expect(uncached.stdout).toBe(first.stdout);
      expect([first.code, second.code]).toEqual([uncached.code, uncached.code]);
    } finally {
      removeDir(cache);
    }
  });
});
