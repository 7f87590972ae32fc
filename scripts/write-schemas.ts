// Writes schemas/*.schema.json and src/model/validators.generated.ts from
// src/model/schemas.ts (the source of truth), and the built-in catalogs as
// parsed (src/catalogs/parsed.generated.json) from their YAML.
// Usage: node scripts/write-schemas.ts [--help] [--check]
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { schemaFiles, validatorModule } from '../src/model/schema-files.ts';
import { parameterValidatorModule } from '../src/policies/precompiled-parameters.ts';
import { bundledSnapshotText } from '../src/load/builtins.ts';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/write-schemas.ts [--check]\nWrites the JSON Schemas into schemas/, the precompiled validators into src/model/validators.generated.ts\nand src/policies/parameter-validators.generated.ts, and the parsed built-in catalogs into src/catalogs/parsed.generated.json;\n--check only reports files that are out of date (exit 1).');
  process.exit(0);
}
const root = fileURLToPath(new URL('../', import.meta.url));
mkdirSync(path.join(root, 'schemas'), { recursive: true });
const wanted: Record<string, string> = {
  'src/model/validators.generated.ts': validatorModule(),
  'src/policies/parameter-validators.generated.ts': parameterValidatorModule(),
  'src/catalogs/parsed.generated.json': bundledSnapshotText(),
};
for (const [name, text] of Object.entries(schemaFiles())) wanted[`schemas/${name}`] = text;
let stale = 0;
for (const [name, text] of Object.entries(wanted)) {
  const file = path.join(root, name);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === text) continue;
  stale++;
  if (process.argv.includes('--check')) console.log(`out of date: ${name}`);
  else {
    writeFileSync(file, text);
    console.log(`wrote ${name}`);
  }
}
process.exitCode = process.argv.includes('--check') && stale ? 1 : 0;
