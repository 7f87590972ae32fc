// `validate --strict-evidence`: a full check of evidence against its format,
// beyond what readEvidence needs (readers stay fast with cheap structural checks).
//
//   - CycloneDX JSON: the official JSON schema of its spec version. The verdict
//     is @cyclonedx/cyclonedx-library's JsonStrictValidator; the same schema files
//     compiled here with ajv (SPDX/JSF/crypto schemas registered under their URIs,
//     idn-email and iri-reference formats added) turn its findings into problems
//     with positions, and stand in if the library's optional dependencies are missing.
//   - CycloneDX XML: not schema-validated. The library's XML validator needs
//     libxmljs2, a native addon, which evident does not use; a note says so.
//   - SARIF, SPDX 2, OpenVEX, SLSA provenance: the structural rules of their specs.
//   - Other kinds: the reader's own checks (reported when the file was read).
//
// Schemas are compiled once per process and cached. Every problem is collected
// (up to a cap per file); positions come from walking the JSON text.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { asArray, compareText, error, get, isObject, note, str, type Obj } from './readers/common.ts';
import { specVersionOf } from './readers/cyclonedx.ts';
import { decodeText, locateJsonPointer, positionAt } from './text.ts';
import type { ReaderProblem, ReadResult } from './types.ts';

type AjvClass = typeof import('ajv').default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
type FormatsPlugin = typeof import('ajv-formats').default;
const addFormats: FormatsPlugin = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

/** At most this many schema errors per file; the rest are counted in one more problem. */
export const maxProblemsPerFile = 50;

export async function validateEvidenceStrict(filePath: string, bytes: Uint8Array, result: ReadResult): Promise<ReaderProblem[]> {
  try {
    void filePath; // kept in the signature for callers that report by path
    const problems = await check(bytes, result);
    return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compareText(a.code, b.code) || compareText(a.message, b.message));
  } catch (e) {
    return [error('evidence-schema', `The strict check could not run: ${(e as Error)?.message ?? String(e)}`)];
  }
}

async function check(bytes: Uint8Array, result: ReadResult): Promise<ReaderProblem[]> {
  if (result.kind === 'file') return [];
  const decoded = decodeText(bytes);
  if (!decoded.ok) return [];
  const text = decoded.text;
  const isXml = text.trimStart().startsWith('<');
  if (isXml) {
    if (result.kind === 'cyclonedx') {
      return [
        note(
          'evidence-schema',
          'CycloneDX XML is not schema-validated: the XML schema validator needs a native addon (libxmljs2), which evident does not use. The reader\'s structural checks apply.',
          { hint: 'Validate with the CycloneDX CLI (`cyclonedx validate`) in CI if you need an XSD check.' },
        ),
      ];
    }
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return []; // JSON Lines, or a file the reader already reported
  }
  const at = (pointer: string): { line?: number; column?: number } => {
    const offset = locateJsonPointer(text, pointer);
    return offset === undefined ? {} : positionAt(text, offset);
  };
  switch (result.kind) {
    case 'cyclonedx':
      return cyclonedxSchema(doc, at);
    case 'sarif':
      return capped(sarifRules(doc), at);
    case 'spdx':
      return isObject(doc) && typeof doc.spdxVersion === 'string' ? capped(spdx2Rules(doc), at) : [];
    case 'openvex':
      return capped(openvexRules(doc), at);
    case 'slsa-provenance':
      return capped(provenanceRules(doc), at);
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------
// CycloneDX JSON schema

const require = createRequire(import.meta.url);
const schemaDir = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const validators = new Map<string, Promise<ValidateFunction>>();

async function readSchema(file: string): Promise<Obj> {
  return JSON.parse(await readFile(path.join(schemaDir, file), 'utf8')) as Obj;
}

function cyclonedxValidator(version: string): Promise<ValidateFunction> {
  let v = validators.get(version);
  if (!v) {
    v = (async () => {
      const [bom, spdxIds, jsf, crypto] = await Promise.all([
        readSchema(`bom-${version}.SNAPSHOT.schema.json`),
        readSchema('spdx.SNAPSHOT.schema.json'),
        readSchema('jsf-0.82.SNAPSHOT.schema.json'),
        readSchema('cryptography-defs.SNAPSHOT.schema.json'),
      ]);
      // ajv never changes data (STYLE.md 10); no remote refs are ever loaded.
      const ajv = new Ajv(
        Object.freeze({
          allErrors: true,
          strict: false,
          useDefaults: false,
          coerceTypes: false,
          removeAdditional: false,
          addUsedSchema: false,
          loadSchema: (uri: string) => Promise.reject(new Error(`Remote schemas are disabled: ${uri}`)),
        }),
      );
      addFormats(ajv);
      // Formats ajv-formats lacks (the library adds them the same way).
      ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
      ajv.addFormat('iri-reference', true);
      ajv.addSchema(spdxIds, 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
      ajv.addSchema(jsf, 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
      ajv.addSchema(crypto, 'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json');
      return ajv.compile(bom);
    })();
    validators.set(version, v);
    // A failed compile is not cached: the next file retries.
    v.catch(() => validators.delete(version));
  }
  return v;
}

async function cyclonedxSchema(doc: unknown, at: (pointer: string) => { line?: number; column?: number }): Promise<ReaderProblem[]> {
  const version = specVersionOf(doc, { path: '', fileName: '', syntax: 'json', jsonLines: false });
  if (!version) return [];
  let validate: ValidateFunction;
  try {
    validate = await cyclonedxValidator(version);
  } catch (e) {
    return [note('evidence-schema', `No JSON schema is available for CycloneDX ${version} (${(e as Error).message}); the file was not schema-validated.`)];
  }
  // The verdict is the CycloneDX library's own strict JSON validator; our compile of the same
  // schema files only turns its findings into positioned problems.
  const verdict = await libraryVerdict(version, doc);
  if (verdict === 'valid') return [];
  if (validate(doc)) {
    return verdict === 'invalid' ? [error('evidence-schema', `The CycloneDX library's validator rejects the document against the CycloneDX ${version} schema.`)] : [];
  }
  const errors = pruneErrors(validate.errors ?? []);
  return capped(
    errors.map((e) => ({ pointer: e.instancePath, message: `${e.instancePath || '/'} ${describe(e)} (CycloneDX ${version} schema)` })),
    at,
  );
}

/** The library's JsonStrictValidator: 'valid', 'invalid', or 'unavailable' (a missing optional dependency or an unknown version). */
async function libraryVerdict(version: string, doc: unknown): Promise<'valid' | 'invalid' | 'unavailable'> {
  const spec = (Spec.Version as Record<string, string>)[`v${version.replace('.', 'dot')}`];
  if (!spec) return 'unavailable';
  try {
    const errors = await new Validation.JsonStrictValidator(spec as Spec.Version).validate(JSON.stringify(doc));
    return errors === null ? 'valid' : 'invalid';
  } catch {
    return 'unavailable';
  }
}

/** ajv's message with the detail that makes it actionable. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `must not have the property "${String(p.additionalProperty)}"`;
  if (e.keyword === 'enum') return `must be one of ${asArray(p.allowedValues).slice(0, 8).map((v) => JSON.stringify(v)).join(', ')}${asArray(p.allowedValues).length > 8 ? ', …' : ''}`;
  if (e.keyword === 'required') return `must have the property "${String(p.missingProperty)}"`;
  return e.message ?? e.keyword;
}

/** Drops the noise of oneOf/anyOf alternatives when a more specific error exists inside the same value. */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const base = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  return base.filter((e) => {
    const key = `${e.instancePath}\u0000${describe(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Structural rules: each yields {pointer, message}; positions are resolved after.

interface Finding {
  pointer: string;
  message: string;
}

function capped(findings: Finding[], at: (pointer: string) => { line?: number; column?: number }): ReaderProblem[] {
  const out = findings.slice(0, maxProblemsPerFile).map((f) => error('evidence-schema', f.message, at(f.pointer)));
  if (findings.length > maxProblemsPerFile) {
    out.push(error('evidence-schema', `${findings.length - maxProblemsPerFile} more schema problems are not shown.`));
  }
  return out;
}

const sarifLevels = ['none', 'note', 'warning', 'error'];
const sarifKinds = ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'];

/** SARIF 2.1.0 §3: the properties every log, run and result must have, and their value sets. */
function sarifRules(doc: unknown): Finding[] {
  const out: Finding[] = [];
  if (get(doc, 'version') !== '2.1.0') out.push({ pointer: '/version', message: 'version must be "2.1.0".' });
  const runs = get(doc, 'runs');
  if (!Array.isArray(runs)) return [...out, { pointer: '', message: 'runs must be an array.' }];
  runs.forEach((run, r) => {
    const rp = `/runs/${r}`;
    if (!isObject(run)) return out.push({ pointer: rp, message: `${rp} must be an object.` });
    if (!str(get(run, 'tool', 'driver', 'name'))) out.push({ pointer: `${rp}/tool`, message: `${rp}/tool/driver/name is required.` });
    const rules = get(run, 'tool', 'driver', 'rules');
    if (rules !== undefined && !Array.isArray(rules)) out.push({ pointer: `${rp}/tool/driver/rules`, message: `${rp}/tool/driver/rules must be an array.` });
    const ruleCount = Array.isArray(rules) ? rules.length : 0;
    if (Array.isArray(rules)) {
      rules.forEach((rule, i) => {
        if (!str(get(rule, 'id'))) out.push({ pointer: `${rp}/tool/driver/rules/${i}`, message: `${rp}/tool/driver/rules/${i}/id is required.` });
        const level = get(rule, 'defaultConfiguration', 'level');
        if (level !== undefined && !sarifLevels.includes(level as string)) out.push({ pointer: `${rp}/tool/driver/rules/${i}/defaultConfiguration/level`, message: `defaultConfiguration.level must be one of ${sarifLevels.join(', ')}.` });
      });
    }
    const results = run.results;
    if (results === undefined || results === null) return;
    if (!Array.isArray(results)) return out.push({ pointer: `${rp}/results`, message: `${rp}/results must be an array.` });
    results.forEach((result, i) => {
      const p = `${rp}/results/${i}`;
      if (!isObject(result)) return out.push({ pointer: p, message: `${p} must be an object.` });
      if (!isObject(result.message) || (str(result.message.text) === undefined && str(result.message.id) === undefined)) {
        out.push({ pointer: p, message: `${p}/message needs a text or an id.` });
      }
      if (result.level !== undefined && !sarifLevels.includes(result.level as string)) out.push({ pointer: `${p}/level`, message: `${p}/level must be one of ${sarifLevels.join(', ')}.` });
      if (result.kind !== undefined && !sarifKinds.includes(result.kind as string)) out.push({ pointer: `${p}/kind`, message: `${p}/kind must be one of ${sarifKinds.join(', ')}.` });
      if (result.ruleIndex !== undefined) {
        const index = result.ruleIndex;
        if (typeof index !== 'number' || !Number.isInteger(index) || index < -1 || (index >= 0 && get(result, 'rule', 'toolComponent') === undefined && index >= ruleCount)) {
          out.push({ pointer: `${p}/ruleIndex`, message: `${p}/ruleIndex ${JSON.stringify(index)} does not name one of the run's ${ruleCount} rules.` });
        }
      }
      if (result.locations !== undefined && !Array.isArray(result.locations)) out.push({ pointer: `${p}/locations`, message: `${p}/locations must be an array.` });
      asArray(result.suppressions).forEach((s, k) => {
        const kind = get(s, 'kind');
        if (kind !== 'inSource' && kind !== 'external') out.push({ pointer: `${p}/suppressions/${k}`, message: `${p}/suppressions/${k}/kind must be inSource or external.` });
        const status = get(s, 'status');
        if (status !== undefined && !['accepted', 'underReview', 'rejected'].includes(status as string)) {
          out.push({ pointer: `${p}/suppressions/${k}/status`, message: `${p}/suppressions/${k}/status must be accepted, underReview or rejected.` });
        }
      });
    });
  });
  return out;
}

/** SPDX 2.2/2.3 §6–7: the document creation fields and each package's mandatory fields. */
function spdx2Rules(doc: Obj): Finding[] {
  const out: Finding[] = [];
  for (const field of ['SPDXID', 'name', 'dataLicense', 'documentNamespace']) {
    if (!str(doc[field])) out.push({ pointer: '', message: `The document needs ${field}.` });
  }
  if (str(doc.SPDXID) && doc.SPDXID !== 'SPDXRef-DOCUMENT') out.push({ pointer: '/SPDXID', message: 'The document SPDXID must be SPDXRef-DOCUMENT.' });
  if (!str(get(doc, 'creationInfo', 'created'))) out.push({ pointer: '/creationInfo', message: 'creationInfo.created is required.' });
  if (asArray(get(doc, 'creationInfo', 'creators')).length === 0) out.push({ pointer: '/creationInfo', message: 'creationInfo.creators needs at least one creator.' });
  asArray(doc.packages).forEach((p, i) => {
    for (const field of ['SPDXID', 'name', 'downloadLocation']) {
      if (!str(get(p, field))) out.push({ pointer: `/packages/${i}`, message: `/packages/${i} needs ${field}.` });
    }
    const id = str(get(p, 'SPDXID'));
    if (id && !/^SPDXRef-[A-Za-z0-9.-]+$/.test(id)) out.push({ pointer: `/packages/${i}/SPDXID`, message: `/packages/${i}/SPDXID "${id}" is not SPDXRef- followed by letters, digits, dots and dashes.` });
  });
  return out;
}

const vexStatuses = ['not_affected', 'affected', 'fixed', 'under_investigation'];
const vexJustifications = ['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist'];

/** OpenVEX spec: document fields, and the status rules (not_affected needs a justification or impact statement; affected needs an action statement). */
function openvexRules(doc: unknown): Finding[] {
  const out: Finding[] = [];
  for (const field of ['@context', '@id', 'author', 'timestamp']) {
    if (!str(get(doc, field))) out.push({ pointer: '', message: `The document needs ${field}.` });
  }
  if (get(doc, 'version') === undefined) out.push({ pointer: '', message: 'The document needs version.' });
  asArray(get(doc, 'statements')).forEach((s, i) => {
    const p = `/statements/${i}`;
    const vuln = get(s, 'vulnerability');
    if (!(typeof vuln === 'string' ? vuln : str(get(vuln, 'name')))) out.push({ pointer: p, message: `${p}/vulnerability/name is required.` });
    const status = str(get(s, 'status'));
    if (!status || !vexStatuses.includes(status)) out.push({ pointer: `${p}/status`, message: `${p}/status must be one of ${vexStatuses.join(', ')}.` });
    const justification = str(get(s, 'justification'));
    if (justification && !vexJustifications.includes(justification)) out.push({ pointer: `${p}/justification`, message: `${p}/justification must be one of ${vexJustifications.join(', ')}.` });
    if (status === 'not_affected' && !justification && !str(get(s, 'impact_statement'))) out.push({ pointer: p, message: `${p} is not_affected and needs a justification or an impact_statement.` });
    if (status === 'affected' && !str(get(s, 'action_statement'))) out.push({ pointer: p, message: `${p} is affected and needs an action_statement.` });
  });
  return out;
}

/** SLSA provenance: a bare statement's subjects and required predicate fields (envelopes were checked by the reader). */
function provenanceRules(doc: unknown): Finding[] {
  if (!isObject(doc) || typeof doc._type !== 'string') return [];
  const out: Finding[] = [];
  const subjects = asArray(doc.subject);
  if (subjects.length === 0) out.push({ pointer: '', message: 'The statement needs at least one subject.' });
  subjects.forEach((s, i) => {
    if (!isObject(get(s, 'digest')) || Object.keys(get(s, 'digest') as Obj).length === 0) out.push({ pointer: `/subject/${i}`, message: `/subject/${i} needs a digest.` });
  });
  const type = str(doc.predicateType) ?? '';
  if (type.startsWith('https://slsa.dev/provenance/v1')) {
    if (!isObject(get(doc, 'predicate', 'buildDefinition'))) out.push({ pointer: '/predicate', message: 'SLSA v1 provenance needs predicate.buildDefinition.' });
    if (!str(get(doc, 'predicate', 'runDetails', 'builder', 'id'))) out.push({ pointer: '/predicate', message: 'SLSA v1 provenance needs predicate.runDetails.builder.id.' });
  } else if (type.startsWith('https://slsa.dev/provenance/')) {
    if (!str(get(doc, 'predicate', 'builder', 'id'))) out.push({ pointer: '/predicate', message: 'SLSA provenance needs predicate.builder.id.' });
  }
  return out;
}
