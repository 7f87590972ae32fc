// ajv over the resource schemas. ajv never changes data (no useDefaults, no
// coercion). Validators come precompiled (ajv standalone code written by
// `npm run schemas` into validators.generated.ts) while the schemas they were
// generated from are unchanged, and are compiled here otherwise: compiling
// them costs a tenth of a second in every process. Errors are mapped to the
// position of the offending YAML node through the parsed document.
import { createHash } from 'node:crypto';
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { PathSegment, YamlDocument } from '../parse/yaml.ts';
import { proofSchema, resourceSchemas } from './schemas.ts';
import * as generated from './validators.generated.ts';

export const ajvOptions: Options = { allErrors: true, strict: false, useDefaults: false, coerceTypes: false, removeAdditional: false, validateFormats: false };

/** The schemas content is validated against, by the name their precompiled validator is exported under. */
export const validatedSchemas: Record<string, object> = { ...resourceSchemas, Proof: proofSchema };

/** Identifies the schemas a set of precompiled validators was generated from. */
export function schemasDigest(): string {
  return createHash('sha256').update(JSON.stringify(validatedSchemas)).digest('hex');
}

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();
const fresh = (generated as { schemasDigest?: string }).schemasDigest === schemasDigest();
for (const [name, schema] of Object.entries(validatedSchemas)) {
  const fn = (generated as unknown as Record<string, ValidateFunction | undefined>)[name];
  if (fresh && typeof fn === 'function') compiled.set(schema, fn);
}

function validatorFor(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    ajv ??= new Ajv2020(ajvOptions);
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Validates `data` against `schema`. Unknown properties are warnings (newer
 * content still loads); everything else is an error.
 */
export function validateAgainstSchema(schema: object, data: unknown, doc: YamlDocument, file: string, basePath: PathSegment[] = []): Diagnostic[] {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  return simplify(validate.errors ?? []).map((error) => toDiagnostic(error, doc, file, basePath));
}

function toDiagnostic(error: ErrorObject, doc: YamlDocument, file: string, basePath: PathSegment[]): Diagnostic {
  const path = [...basePath, ...pointerToPath(error.instancePath)];
  const where = path.length ? path.join('.') : '(document)';
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const pos = doc.keyPositionOf([...path, key]);
    return { file, ...pos, severity: 'warning', code: 'schema-unknown-field', message: `Unknown field "${key}" in ${where}; it is ignored.` };
  }
  const pos = doc.positionOf(path);
  let message: string;
  switch (error.keyword) {
    case 'required':
      message = `${where} is missing the required field "${(error.params as { missingProperty: string }).missingProperty}".`;
      break;
    case 'enum':
      message = `${where} must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}.`;
      break;
    case 'const':
      message = `${where} must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}.`;
      break;
    case 'type':
      message = `${where} must be ${(error.params as { type: string }).type}.`;
      break;
    case 'pattern':
      message = `${where} must match ${(error.params as { pattern: string }).pattern}.`;
      break;
    default:
      message = `${where} ${error.message ?? 'is invalid'}.`;
  }
  return { file, ...pos, severity: 'error', code: 'schema-invalid', message };
}

/** Drops the noise ajv adds around oneOf/anyOf/if when a more specific error exists at the same place. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  const out = specific.length ? specific : errors;
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
