// The built-in catalogs ship as YAML data inside the package (src/catalogs).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseYaml } from '../parse/yaml.ts';
import type { ParsedDocument } from './load-content.ts';

// The YAML data stays in src/catalogs in the package, also when the code runs compiled from lib/.
export const catalogsDir = fileURLToPath(new URL('../../src/catalogs/', import.meta.url));

let cached: ParsedDocument[] | undefined;

/** Built-in frameworks and requirements, parsed once per process. File names read `builtin:<path>`. */
export function loadBuiltinDocuments(): ParsedDocument[] {
  if (cached) return cached;
  const docs: ParsedDocument[] = [];
  for (const sub of ['requirements', 'frameworks']) {
    const dir = path.join(catalogsDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = `builtin:${sub}/${name}`;
      const parsed = parseYaml(readFileSync(path.join(dir, name), 'utf8'), file);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) {
        throw new Error(`built-in catalog ${file} does not parse: ${parsed.diagnostics[0].message}`);
      }
      for (const doc of parsed.documents) docs.push({ file, doc, data: doc.data });
    }
  }
  cached = docs;
  return docs;
}
