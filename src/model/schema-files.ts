// The files shipped in schemas/: one per resource kind, proof front matter,
// a dispatching schema for any resource file, and the report schema.
import { reportSchema } from '../evaluate/report-schema.ts';
import { anyResourceSchema, proofSchema, resourceSchemas, schemaFileName } from './schemas.ts';

export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const write = (name: string, schema: object) => (files[name] = JSON.stringify(schema, null, 2) + '\n');
  for (const [kind, schema] of Object.entries(resourceSchemas)) write(schemaFileName(kind), schema);
  write('resource.schema.json', anyResourceSchema);
  write('proof.schema.json', proofSchema);
  write('report.schema.json', reportSchema);
  return files;
}
