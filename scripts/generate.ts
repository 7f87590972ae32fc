// Builds a synthetic content repo for benchmarks and scale tests: products,
// projects, contracts and proofs against the built-in catalog, CI evidence in
// real formats, and a git history at fixed dates. Deterministic from the seed.
//
//   node scripts/generate.ts --size S|M|L --out DIR [--seed N] [--help]
import { generateRepo } from './lib/generate-repo.ts';
import { scriptOptions } from './lib/script-args.ts';
import { sizes, type SizeName } from './lib/synthetic-repo.ts';

const usage = `usage: node scripts/generate.ts --size S|M|L --out DIR [--seed N] [--help]

Writes a synthetic evident content repo into DIR (a new or empty folder) as a
git repository on branch main: products with all built-in frameworks attached,
projects with contracts, manual proofs, and CI evidence (CycloneDX 1.6 SBOMs,
Grype/Trivy/osv-scanner reports, SARIF, JUnit, signed SLSA provenance, OpenVEX,
Scorecard, gitleaks, branch protection, the KEV catalog), committed at fixed
dates. The same size and seed give the same files and the same commit ids.

  --size S|M|L  S: ${d('S')}
                M: ${d('M')}
                L: ${d('L')}
  --out DIR     where to write the repository
  --seed N      the generator's seed, a whole number (default 1)
  --help        this text
`;

function d(size: SizeName): string {
  const s = sizes[size];
  return `${s.products} products, ${s.projects} projects, ${s.evidence} evidence files (${s.sboms} SBOMs, ${s.vulnerabilityReports} vulnerability reports), ${s.commits} commits`;
}

const values = scriptOptions<{ size?: string; out?: string; seed?: string }>({ size: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } }, usage);
const size = values.size?.toUpperCase();
if (size !== 'S' && size !== 'M' && size !== 'L') {
  process.stderr.write(`--size must be S, M or L${values.size ? ` (got "${values.size}")` : ''}\n${usage}`);
  process.exit(2);
}
if (!values.out) {
  process.stderr.write(`--out is required\n${usage}`);
  process.exit(2);
}
const seed = values.seed === undefined ? 1 : Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0) {
  process.stderr.write(`--seed must be a whole number (got "${values.seed}")\n${usage}`);
  process.exit(2);
}

const started = performance.now();
try {
  const result = await generateRepo({
    size,
    seed,
    out: values.out,
    onCommit: (i, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rcommit ${i + 1}/${total}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stdout.write(
    `${values.out}: size ${size}, seed ${seed}: ${result.commits} commits, ${result.files} file versions, ${(result.bytes / 1e6).toFixed(1)} MB written; HEAD dated ${result.head}; ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
} catch (e) {
  process.stderr.write(`generate: ${(e as Error).message}\n`);
  process.exit(1);
}
