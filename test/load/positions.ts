// Comparing a document kept as plain data (a position snapshot) with the
// parsed YAML it was taken from: shared by the tests of the kept catalogs and
// of the parsed-file store.
import { expect } from 'vitest';
import type { PathSegment, YamlDocument } from '../../src/parse/yaml.ts';

/** Every path into `data`, plus a missing key and a missing index under each mapping and sequence. */
export function paths(data: unknown, at: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [at];
  if (Array.isArray(data)) {
    data.forEach((v, i) => out.push(...paths(v, [...at, i])));
    out.push([...at, data.length], [...at, data.length, 'deeper']);
  } else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...at, k]));
    out.push([...at, 'no-such-key'], [...at, 'no-such-key', 0]);
  }
  return out;
}

/** `kept` holds the same data and answers every position query as `parsed` does. */
export function expectSameDocument(kept: YamlDocument, parsed: YamlDocument, label: string): void {
  expect(kept.data, label).toEqual(parsed.data);
  expect(kept.start, label).toEqual(parsed.start);
  for (const p of paths(parsed.data)) {
    const where = `${label} ${p.join('.')}`;
    expect(kept.positionOf(p), where).toEqual(parsed.positionOf(p));
    expect(kept.keyPositionOf(p), where).toEqual(parsed.keyPositionOf(p));
    expect(kept.endOf(p), where).toEqual(parsed.endOf(p));
  }
}
