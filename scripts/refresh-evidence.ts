// Regenerates evident's own evidence in content/evidence/evident:
//   sbom.cdx.json            npm sbom (CycloneDX) of the runtime dependencies
//   test-results.junit.xml   vitest's JUnit report of the whole test suite
// Usage: node scripts/refresh-evidence.ts [--help] [--skip-tests]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'content/evidence/evident');

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/refresh-evidence.ts [--skip-tests]\nRegenerates content/evidence/evident/{sbom.cdx.json,test-results.junit.xml}.');
  process.exit(0);
}
mkdirSync(out, { recursive: true });

const sbom = execFileSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
JSON.parse(sbom); // fail loudly rather than commit a broken file
writeAtomic(path.join(out, 'sbom.cdx.json'), sbom);
console.log('wrote content/evidence/evident/sbom.cdx.json');

if (!process.argv.includes('--skip-tests')) {
  const tmp = path.join(out, '.test-results.junit.xml.tmp');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=junit', `--outputFile=${tmp}`], { cwd: root, stdio: 'inherit' });
  renameSync(tmp, path.join(out, 'test-results.junit.xml'));
  console.log(`wrote content/evidence/evident/test-results.junit.xml (vitest exit ${r.status})`);
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(file + '.tmp', text);
  renameSync(file + '.tmp', file);
}
