// Throughput of readEvidence on the large corpus SBOMs, against a baseline
// measured in the same run on the same bytes: JSON.parse for the JSON SBOM,
// fast-xml-parser alone (no validation, no normalising) for the XML one.
//
//   node scripts/bench-readers.ts [--iterations N] [--corpus DIR] [--help]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { readEvidence } from '../src/evidence/read.ts';
import { scriptOptions } from './lib/script-args.ts';

const usage = `usage: node scripts/bench-readers.ts [--iterations N] [--corpus DIR]

Reads the large corpus SBOMs (juice-shop, CycloneDX 1.4: JSON 1.9 MB, XML 2 MB)
N times each with readEvidence and with a plain parse of the same bytes, and
prints MB/s and the ratio.

  --iterations N  timed runs per file and method (default 10, after 2 warm-up runs)
  --corpus DIR    the shared corpus folder (default ../shared/corpus beside the repo)
  --help          this text
`;

const values = scriptOptions<{ iterations?: string; corpus?: string }>({ iterations: { type: 'string' }, corpus: { type: 'string' } }, usage);
const iterations = values.iterations === undefined ? 10 : Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1) {
  process.stderr.write(`--iterations must be a positive integer\n${usage}`);
  process.exit(2);
}
const corpus = values.corpus ?? fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const files = ['cyclonedx/juice-shop-flat.bom.1.4.json', 'cyclonedx/juice-shop-bare.bom.1.4.xml'].map((f) => path.join(corpus, f));
for (const f of files) {
  if (!existsSync(f)) {
    process.stderr.write(`not found: ${f} (pass --corpus)\n`);
    process.exit(2);
  }
}

/** Median seconds per run of fn, after two warm-up runs. */
function time(fn: () => unknown): number {
  fn();
  fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const decoder = new TextDecoder();
// The options parseXml uses, without its validation pass and entity checks.
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true, jPath: false });
const rows: string[][] = [['file', 'size', 'readEvidence', 'baseline', 'baseline MB/s', 'time ratio']];
for (const file of files) {
  const bytes = readFileSync(file);
  const mb = bytes.length / 1e6;
  const isXml = file.endsWith('.xml');
  const result = readEvidence(file, bytes);
  if (result.kind !== 'cyclonedx') {
    process.stderr.write(`${file} was read as ${result.kind}, not cyclonedx\n`);
    process.exit(1);
  }
  const read = time(() => readEvidence(file, bytes));
  const base = time(() => (isXml ? xmlParser.parse(decoder.decode(bytes)) : JSON.parse(decoder.decode(bytes))));
  rows.push([
    path.basename(file),
    `${mb.toFixed(2)} MB`,
    `${(mb / read).toFixed(1)} MB/s`,
    isXml ? 'fast-xml-parser' : 'JSON.parse',
    `${(mb / base).toFixed(1)} MB/s`,
    `${(read / base).toFixed(2)}× the baseline`,
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
process.stdout.write(`(median of ${iterations} runs each; Node ${process.version})\n`);
