// The built-in catalogs kept as JSON in the cache answer every position query
// as the parsed YAML does, and a run that reads them gives the same report.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogsDir } from '../../src/load/builtins.ts';
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

  it('a run that reads them from the cache gives the report of a run that parsed them', () => {
    const cache = tempDir('evident-builtins-');
    try {
      const args = ['evaluate', '--content', path.join(repoRoot, 'test/fixtures/scenario'), '--format', 'json', '--now', '2026-06-01T00:00:00Z'];
      const first = cliProcess(args, { env: { EVIDENT_CACHE_DIR: cache } });
      const kept = readdirSync(cache).filter((n) => /^builtins-[0-9a-f]{16}\.json$/.test(n));
      expect(kept).toHaveLength(1);
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
