// Long fuzz run over the properties of test/hardening (for local use; CI runs
// the bounded suite). Usage: node scripts/fuzz.ts [--runs N] [--seed S] [--help]
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkFrontMatter, checkReader, checkXml, checkYaml, mutated, seedFiles, xmlText, yamlText } from '../test/hardening/properties.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('usage: node scripts/fuzz.ts [--runs N] [--seed S]\nRuns the parser and reader properties N times each (default 20000) and prints the figures.');
  process.exit(0);
}
const numRuns = Number(values.runs ?? 20000);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const seeds = seedFiles(repoRoot);
const bytes = seeds.reduce((n, s) => n + s.bytes.length, 0);
console.log(`seed ${seed}; ${seeds.length} seed files (${(bytes / 1e6).toFixed(1)} MB); ${numRuns} runs per property`);

const properties: [string, fc.IProperty<any>][] = [
  ['readEvidence on mutated corpus files', fc.property(mutated(seeds), (f) => checkReader(f, 5000))],
  ['readEvidence on arbitrary bytes', fc.property(fc.constantFrom('a.json', 'b.xml', 'c.sarif', 'gitleaks.json', 'd.jsonl'), fc.uint8Array({ maxLength: 2048 }), (p, b) => checkReader({ path: `evidence/p/${p}`, bytes: b }, 2000))],
  ['YAML parser', fc.property(yamlText, checkYaml)],
  ['front matter', fc.property(yamlText, (y) => checkFrontMatter(`---\n${y}\n---\nbody`))],
  ['XML parser', fc.property(xmlText, checkXml)],
  ['readEvidence on XML-ish text', fc.property(xmlText, (t) => checkReader({ path: 'evidence/p/r.xml', bytes: Buffer.from(t) }, 2000))],
];
let failures = 0;
for (const [name, property] of properties) {
  const start = performance.now();
  const result = fc.check(property, { seed, numRuns });
  const seconds = (performance.now() - start) / 1000;
  if (result.failed) {
    failures++;
    console.log(`FAIL ${name}: ${result.counterexample ? JSON.stringify(result.counterexample).slice(0, 500) : ''}\n  ${String(result.errorInstance).split('\n')[0]}`);
  } else {
    console.log(`ok   ${name}: ${result.numRuns} runs in ${seconds.toFixed(1)} s`);
  }
}
process.exitCode = failures ? 1 : 0;
