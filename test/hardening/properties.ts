// Properties shared by the fuzz suite (fixed seed, bounded runs, in CI) and
// scripts/fuzz.ts (long local runs): arbitrary and mutated inputs never
// throw out of a parser or reader, never hang, and always yield a model or
// diagnostics.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { readEvidence } from '../../src/evidence/read.ts';
import { evidenceKinds } from '../../src/evidence/types.ts';
import { parseFrontMatter } from '../../src/parse/front-matter.ts';
import { parseXml } from '../../src/parse/xml.ts';
import { parseYaml } from '../../src/parse/yaml.ts';

/** Real inputs to mutate: the shared corpus (when present) and the test fixtures. */
export function seedFiles(repoRoot: string): { path: string; bytes: Uint8Array }[] {
  const roots = [path.resolve(repoRoot, '../shared/corpus'), path.join(repoRoot, 'test/fixtures')];
  const out: { path: string; bytes: Uint8Array }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (statSync(p).size < 300_000) out.push({ path: path.relative(repoRoot, p), bytes: readFileSync(p) });
    }
  };
  for (const r of roots) if (existsSync(r)) walk(r);
  return out;
}

/** Byte-level mutations: flips, truncations, insertions of format-significant characters, duplications. */
export function mutated(seeds: { path: string; bytes: Uint8Array }[]): fc.Arbitrary<{ path: string; bytes: Uint8Array }> {
  const specials = [...'{}[]<>"\':,-&;!\\\n\0\u00ff'].map((c) => Buffer.from(c, 'latin1')[0]);
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ op: fc.constant('special' as const), at: fc.nat(), value: fc.constantFrom(...specials) }),
          fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
          fc.record({ op: fc.constant('delete' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 64 }) }),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    )
    .map(([seed, ops]) => {
      let bytes = Buffer.from(seed.bytes);
      for (const { op, at, value } of ops) {
        if (bytes.length === 0) break;
        const i = at % bytes.length;
        if (op === 'flip') bytes[i] = value;
        else if (op === 'special') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([value]), bytes.subarray(i)]);
        else if (op === 'truncate') bytes = bytes.subarray(0, i);
        else bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(Math.min(bytes.length, i + value))]);
      }
      return { path: seed.path, bytes: new Uint8Array(bytes) };
    });
}

const kinds = new Set<string>(evidenceKinds);
const severities = new Set(['error', 'warning', 'note']);

/** readEvidence returns a kind and problems, never throws, and is quick. */
export function checkReader(file: { path: string; bytes: Uint8Array }, maxMillis: number): void {
  const start = performance.now();
  const r = readEvidence(file.path, file.bytes);
  const elapsed = performance.now() - start;
  if (!kinds.has(r.kind)) throw new Error(`unknown kind ${r.kind}`);
  if (!Array.isArray(r.problems) || r.problems.some((p) => !severities.has(p.severity) || typeof p.code !== 'string' || typeof p.message !== 'string')) throw new Error('malformed problems');
  if (elapsed > maxMillis) throw new Error(`readEvidence took ${elapsed.toFixed(0)} ms on ${file.path} (${file.bytes.length} bytes)`);
}

export function checkYaml(text: string): void {
  const r = parseYaml(text, 'f.yaml');
  for (const d of r.diagnostics) if (!(d.line! >= 1 && d.column! >= 1)) throw new Error(`diagnostic without a position: ${JSON.stringify(d)}`);
  for (const doc of r.documents) doc.positionOf(['spec', 'x', 0]);
}

export function checkFrontMatter(text: string): void {
  const r = parseFrontMatter(text, 'p.md');
  if (typeof r.body !== 'string') throw new Error('no body');
}

export function checkXml(text: string): void {
  const r = parseXml(text);
  if (typeof r.ok !== 'boolean') throw new Error('no result');
}

/** YAML-ish text: mixes YAML syntax characters so the parser sees its edge cases. */
export const yamlText = fc
  .array(fc.oneof(fc.constantFrom('a: ', '- ', '&x ', '*x', '<<: *x', '{', '}', '[', ']', '"', "'", '\n', '  ', '---\n', '? ', '!!str ', '|\n', '>-\n', '#', 'kind: Requirement\n', '\t', '%YAML 1.2\n'), fc.string({ maxLength: 8 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** XML-ish text with declarations, entities and CDATA. */
export const xmlText = fc
  .array(fc.constantFrom('<a>', '</a>', '<b x="1"/>', '<!DOCTYPE a [<!ENTITY e "x">]>', '&e;', '&amp;', '&#x41;', '<![CDATA[', ']]>', '<?xml version="1.0"?>', 'text', '"', '<', '<testsuite tests="1">', '</testsuite>', '<testcase name="n"/>'), { maxLength: 40 })
  .map((p) => p.join(''));
