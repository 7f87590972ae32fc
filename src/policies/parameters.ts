// Policy parameters: defaults from the policy's JSON Schema, then validation.
// ajv never changes the data (STYLE.md 10): no useDefaults, no coercion, no
// removal. Defaults are applied here into a fresh object, then validated; the
// result is frozen.
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { createHash } from 'node:crypto';
import { compareText } from './shared/common.ts';

export interface ParameterError {
  /** JSON Pointer into the parameters ('' = the whole `with`). */
  instancePath: string;
  /** What is wrong, without a trailing full stop. */
  message: string;
}

export type ResolvedParameters<P = Record<string, unknown>> =
  | { ok: true; params: Readonly<P> }
  | { ok: false; errors: ParameterError[] };

// CommonJS interop: the default export may arrive wrapped.
type AjvClass = typeof import('ajv/dist/2020.js').default;
const Ajv2020: AjvClass = ((Ajv2020Module as unknown as { default?: AjvClass }).default ?? Ajv2020Module) as AjvClass;
type FormatsPlugin = typeof import('ajv-formats').default;
const addFormats: FormatsPlugin = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

/** The options parameter schemas are compiled with, here and ahead of time (precompiled-parameters.ts). */
export const parameterAjvOptions = Object.freeze({
  allErrors: true,
  strict: false,
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
  addUsedSchema: false,
  validateSchema: true,
  logger: false as const,
  loadSchema: undefined,
});

/** An ajv for parameter schemas, with the formats; `extra` adds options (the standalone generator's `code`). */
export function parameterAjv(extra: Record<string, unknown> = {}): InstanceType<AjvClass> {
  const instance = new Ajv2020({ ...parameterAjvOptions, ...extra });
  addFormats(instance);
  return instance;
}

/** Created on the first schema that has no precompiled validator: built-in policies' schemas all have one. */
let ajv: InstanceType<AjvClass> | undefined;

const compiled = new WeakMap<object, ValidateFunction | { compileError: string }>();

function compile(schema: object): ValidateFunction | { compileError: string } {
  let entry = compiled.get(schema);
  if (!entry) {
    try {
      ajv ??= parameterAjv();
      entry = ajv.compile(schema);
    } catch (error) {
      entry = { compileError: error instanceof Error ? error.message : String(error) };
    }
    compiled.set(schema, entry);
  }
  return entry;
}

/** Identifies a parameter schema: a precompiled validator serves only the schema it was made from. */
export function parameterSchemaDigest(schema: object): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/**
 * Uses a validator compiled ahead of time (`npm run schemas`) for `schema`
 * while the schema is the one it was compiled from (`digest`); otherwise
 * the schema is compiled on first use as any other.
 */
export function usePrecompiled(schema: object, validate: unknown, digest: string | undefined): void {
  if (typeof validate === 'function' && digest === parameterSchemaDigest(schema) && !compiled.has(schema)) compiled.set(schema, validate as ValidateFunction);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** `given` over `defaults`, objects merged key by key at every depth. */
function mergeDeep(defaults: unknown, given: unknown): unknown {
  if (isPlainObject(defaults) && isPlainObject(given)) {
    const out: Record<string, unknown> = clone(defaults);
    for (const [k, v] of Object.entries(given)) out[k] = mergeDeep(out[k], v);
    return out;
  }
  return clone(given);
}

/**
 * A fresh value with the schema's defaults filled in: a missing property takes
 * its `default`; an object given for a property whose default is an object is
 * merged over that default (so `days: {HIGH: 30}` keeps the other days);
 * nested object schemas are filled the same way.
 */
export function applyDefaults(schema: unknown, given: unknown): unknown {
  if (!isPlainObject(schema)) return clone(given);
  let value: unknown = given === undefined ? clone(schema.default) : isPlainObject(schema.default) && isPlainObject(given) ? mergeDeep(schema.default, given) : clone(given);
  const properties = schema.properties;
  if (isPlainObject(properties) && (value === undefined ? false : isPlainObject(value))) {
    const out = value as Record<string, unknown>;
    for (const [key, propertySchema] of Object.entries(properties)) {
      const filled = applyDefaults(propertySchema, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    value = out;
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function describe(error: ErrorObject): ParameterError {
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  switch (error.keyword) {
    case 'additionalProperties':
      message = `must not have the property "${String(params.additionalProperty)}"`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'required':
      message = `must have the property "${String(params.missingProperty)}"`;
      break;
    default:
      break;
  }
  return { instancePath: error.instancePath, message };
}

/**
 * Defaults applied, then validated against the draft 2020-12 `schema`. `given`
 * undefined or null means no parameters. Errors are sorted by path, then message.
 */
export function resolveParameters<P = Record<string, unknown>>(schema: Record<string, unknown>, given: unknown): ResolvedParameters<P> {
  // Every model checks the same entries again (`history`: once per commit); results are frozen, so they are shared.
  let bySchema = resolved.get(schema);
  if (!bySchema) resolved.set(schema, (bySchema = new Map()));
  const key = given === undefined ? '' : JSON.stringify(given);
  let result = bySchema.get(key);
  if (!result) {
    result = resolveUncached(schema, given);
    if (bySchema.size >= 1000) bySchema.clear();
    bySchema.set(key, result);
  }
  return result as ResolvedParameters<P>;
}
const resolved = new WeakMap<object, Map<string, ResolvedParameters<unknown>>>();

function resolveUncached(schema: Record<string, unknown>, given: unknown): ResolvedParameters<unknown> {
  const validate = compile(schema);
  if ('compileError' in validate) {
    return { ok: false, errors: [{ instancePath: '', message: `cannot be checked: the parameter schema is invalid (${validate.compileError})` }] };
  }
  const params = applyDefaults(schema, given === undefined || given === null ? {} : given);
  if (validate(params)) return { ok: true, params: deepFreeze(params) as Readonly<unknown> };
  const seen = new Set<string>();
  const errors: ParameterError[] = [];
  for (const e of (validate.errors ?? []).map(describe)) {
    const key = `${e.instancePath}\u0000${e.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(e);
    }
  }
  errors.sort((a, b) => compareText(a.instancePath, b.instancePath) || compareText(a.message, b.message));
  return { ok: false, errors };
}
