// Writes schemas/*.schema.json from src/model/schemas.ts (the source of truth).
// Usage: node scripts/write-schemas.ts [--help] [--check]
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { schemaFiles } from '../src/model/schema-files.ts';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/write-schemas.ts [--check]\nWrites the JSON Schemas into schemas/; --check only reports files that are out of date (exit 1).');
  process.exit(0);
}
const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
mkdirSync(dir, { recursive: true });
let stale = 0;
for (const [name, text] of Object.entries(schemaFiles())) {
  const file = path.join(dir, name);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === text) continue;
  stale++;
  if (process.argv.includes('--check')) console.log(`out of date: schemas/${name}`);
  else {
    writeFileSync(file, text);
    console.log(`wrote schemas/${name}`);
  }
}
process.exitCode = process.argv.includes('--check') && stale ? 1 : 0;
