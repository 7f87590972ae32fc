// Report → CycloneDX 1.6 attestations (CDXA) for one product, as a JSON BOM:
//   definitions.standards   one standard per framework; its requirements are the framework's controls
//   declarations.targets    the product and its projects, as components
//   declarations.claims     one claim per requirement result (target, predicate = the requirement's text)
//   declarations.evidence   one entry per evidence file the claims cite
//   declarations.attestations  one per framework, mapping each control to claims and counter-claims
//                              with a conformance score (the control's score) and a confidence
//   components              the evidence files, with SHA-256 hashes and commits (declarations.evidence
//                           has no place for hashes or properties in the 1.6 schema)
// Deterministic: lists sorted by bom-ref, timestamps from report.now, and the
// serial number a UUID v5 of the document's own content.
//
// validateCycloneDx() validates any CycloneDX 1.6 JSON text (this export and evident's SBOM).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import type { ControlReport, Part, ProductReport, Report, RequirementResult } from '../evaluate/report-types.ts';
import type { Model } from '../model/types.ts';
import { formatScore } from './markdown.ts';
import { type EvidenceFile, type ExportOptions, compareText, controlResults, evidenceIndex, isFailing, partMessage, productReport, requirementText, uuidV5 } from './oscal.ts';

export const CYCLONEDX_SPEC_VERSION = '1.6';

/** Prefix of evident's CycloneDX property names (`evident:commit`, …). */
const P = 'evident:';

type Json = Record<string, unknown>;

const byRef = (a: { 'bom-ref': string }, b: { 'bom-ref': string }) => compareText(a['bom-ref'], b['bom-ref']);

function nonEmpty<T>(key: string, list: T[]): Record<string, T[]> {
  return list.length ? { [key]: list } : {};
}

function properties(entries: [string, string | number | null | undefined][]): Json {
  const list = entries.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([name, value]) => ({ name: `${P}${name}`, value: String(value) }));
  return nonEmpty('properties', list);
}

/** The CycloneDX 1.6 attestation BOM of one product, as a JSON value. */
export function toCycloneDxAttestation(report: Report, model: Model, product: string, options: ExportOptions = {}): object {
  const p = productReport(report, product);
  const index = evidenceIndex(model, options);
  const productRef = `product:${p.name}`;
  const projectRef = (name: string) => `project:${name}`;
  const claimRef = (r: RequirementResult) => `claim:${r.requirement}@${r.project === null ? productRef : projectRef(r.project)}`;
  const evidenceRef = (f: EvidenceFile) => `evidence:${f.path}`;
  const fileRef = (f: EvidenceFile) => `file:${f.path}`;
  const standardRef = (fw: string) => `standard:${fw}`;
  const controlRef = (fw: string, c: string) => `standard:${fw}/control:${c}`;
  const assessorRef = 'assessor:evident';

  // Claims: one per requirement result. `evidence` backs the claim's role in the
  // attestation (a met requirement: its passing evidence; an unmet one, listed as a
  // counter-claim: its failing evidence); `counterEvidence` is the rest.
  const used = new Map<string, EvidenceFile>();
  const claims = p.results.map((r) => {
    const unmet = isCounterClaim(r);
    const support = new Set<string>();
    const against = new Set<string>();
    const lines: string[] = [];
    for (const part of r.parts) {
      const { files, withheld } = index.filesOf(part);
      lines.push(`${part.type} ${part.name}${part.project && !r.project ? ` (${part.project})` : ''}${part.optional ? ' (optional)' : ''}: ${part.status}: ${partMessage(part, withheld)}`);
      const passing = part.status === 'PASSED' || part.status === 'GRACE';
      for (const f of files) {
        used.set(f.path, f);
        (passing !== unmet ? support : against).add(evidenceRef(f));
      }
    }
    if (r.overridden && r.override) lines.push(`Overridden to ${r.override.status}${r.override.by ? ` by ${r.override.by}` : ''}${r.override.date ? ` on ${r.override.date}` : ''}${r.override.rationale ? `: ${r.override.rationale}` : ''}`);
    if (r.exception) lines.push(`Exception (underlying ${r.underlying ?? 'unknown'})${r.exception.approvedBy ? `, approved by ${r.exception.approvedBy}` : ''}${r.exception.expires ? `, until ${r.exception.expires}` : ''}${r.exception.rationale ? `: ${r.exception.rationale}` : ''}`);
    if (r.rationale) lines.push(`Not applicable: ${r.rationale}`);
    return {
      'bom-ref': claimRef(r),
      target: r.project === null ? productRef : projectRef(r.project),
      predicate: requirementText(model, r.requirement),
      reasoning: [`${r.requirement}: ${r.status}${r.underlying ? ` (underlying ${r.underlying})` : ''}${r.overridden ? ', overridden' : ''}.`, ...lines].join('\n'),
      ...nonEmpty('evidence', [...support].sort(compareText)),
      ...nonEmpty('counterEvidence', [...against].sort(compareText)),
    };
  });
  claims.sort(byRef);

  const files = [...used.values()].sort((a, b) => compareText(a.path, b.path));
  const evidence = files.map((f) => ({
    'bom-ref': evidenceRef(f),
    propertyName: `${P}evidence:${f.kind}`,
    description: `${f.kind} evidence ${f.path}${f.sha256 ? `, SHA-256 ${f.sha256}` : ''}${f.commit ? `, commit ${f.commit}` : ''}${f.commit === null ? ', not committed' : ''}; described with its hash by the component ${fileRef(f)}.`,
    data: [{ name: f.path, contents: { url: fileUrl(f.path) } }],
    ...(f.timestamp ? { created: f.timestamp } : {}),
  }));
  const fileComponents = files.map((f) => ({
    type: 'file',
    'bom-ref': fileRef(f),
    name: f.path,
    ...(f.sha256 ? { hashes: [{ alg: 'SHA-256', content: f.sha256 }] } : {}),
    ...properties([
      ['evidence:kind', f.kind],
      ['git:commit', f.commit],
      ['evidence:timestamp', f.timestamp],
      ['project', f.project],
    ]),
  }));

  const claimOf = new Map(p.results.map((r) => [r, claimRef(r)]));
  // For confidence, every file counts, disclosed or not.
  const everything = evidenceIndex(model);
  const uncommitted = (part: Part) => everything.filesOf(part).files.some((f) => f.commit === null);
  const standards = p.frameworks.map((fw) => {
    const framework = model.frameworks[fw.name];
    const annotations = framework?.metadata.annotations ?? {};
    return {
      'bom-ref': standardRef(fw.name),
      name: fw.displayName,
      ...(annotations.version ? { version: annotations.version } : {}),
      ...(framework?.metadata.description ? { description: framework.metadata.description } : {}),
      ...(annotations.owner ? { owner: annotations.owner } : {}),
      requirements: fw.controls.map((c) => {
        const control = framework?.controls.find((x) => x.id === c.id);
        return {
          'bom-ref': controlRef(fw.name, c.id),
          identifier: c.id,
          title: c.name,
          ...(control?.description ? { text: control.description } : {}),
          ...nonEmpty(
            'properties',
            [
              ...(c.path.length ? [{ name: `${P}path`, value: c.path.join(' / ') }] : []),
              ...c.requirements.map((q) => ({ name: `${P}requirement`, value: `${q.ref} (${q.relationship})${q.resolved ? '' : ' unresolved'}` })),
            ],
          ),
        };
      }),
      ...(annotations.url ? { externalReferences: [{ type: 'documentation', url: annotations.url }] } : {}),
    };
  });

  const attestations = p.frameworks.map((fw) => ({
    summary: `${fw.displayName}: score ${formatScore(fw.score)}; ${Object.entries(fw.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ') || 'no results'}.`,
    assessor: assessorRef,
    map: fw.controls.map((c) => mapEntry(p, c, controlRef(fw.name, c.id), claimOf, uncommitted)),
  }));

  const targets = [
    { type: 'application', 'bom-ref': productRef, name: p.name, ...(p.version ? { version: p.version } : {}), description: p.displayName, ...properties([['owner', p.owner]]) },
    ...p.projects.map((name) => {
      const project = model.projects[name];
      return { type: 'application', 'bom-ref': projectRef(name), name, ...(project?.metadata.displayName ? { description: project.metadata.displayName } : {}), ...properties([['product', p.name], ['owner', project?.owner]]) };
    }),
  ].sort(byRef);

  const organization = report.organization ? { name: report.organization } : null;
  const body = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: '',
    version: 1,
    metadata: {
      timestamp: report.now,
      tools: { components: [{ type: 'application', name: report.generator.name, version: report.generator.version }] },
      ...(organization ? { manufacturer: organization } : {}),
      properties: [
        { name: `${P}product`, value: p.name },
        { name: `${P}evaluated-at`, value: report.now },
        ...(report.commit ? [{ name: `${P}content-commit`, value: report.commit.sha }, { name: `${P}content-dirty`, value: String(report.commit.dirty) }] : []),
        ...(model.config.audit?.period ? [{ name: `${P}audit-period`, value: `${model.config.audit.period.start}/${model.config.audit.period.end}` }] : []),
        ...(p.score === null ? [] : [{ name: `${P}score`, value: String(p.score) }]),
      ],
    },
    ...nonEmpty('components', fileComponents),
    definitions: { standards },
    declarations: {
      assessors: [{ 'bom-ref': assessorRef, thirdParty: false, ...(organization ? { organization } : {}) }],
      attestations,
      claims,
      ...nonEmpty('evidence', evidence),
      targets: { ...(organization ? { organizations: [organization] } : {}), components: targets },
    },
  };
  // The serial number names this exact content: a rebuild gives the same one, any change a new one.
  body.serialNumber = `urn:uuid:${uuidV5(JSON.stringify(['cdxa', body]))}`;
  return body;
}

/** A claim of an unmet requirement is listed as a counter-claim (an exception counts by what it covers). */
function isCounterClaim(r: RequirementResult): boolean {
  const status = r.status === 'EXCEPTION' ? r.underlying : r.status;
  return status !== null && isFailing(status);
}

function mapEntry(p: ProductReport, c: ControlReport, requirement: string, claimOf: Map<RequirementResult, string>, partUncommitted: (part: Part) => boolean): Json {
  const results = controlResults(p, c);
  // INACTIVE and NOT_APPLICABLE results assert nothing about conformance.
  const relevant = results.filter((r) => r.status !== 'INACTIVE' && r.status !== 'NOT_APPLICABLE');
  const claims = relevant.filter((r) => !isCounterClaim(r)).map((r) => claimOf.get(r)!);
  const counterClaims = relevant.filter(isCounterClaim).map((r) => claimOf.get(r)!);
  const counted = results.filter((r) => r.status !== 'INACTIVE' && r.status !== 'NOT_APPLICABLE' && r.status !== 'EXCEPTION');
  const overridden = counted.filter((r) => r.overridden).length;
  const uncommitted = counted.filter((r) => !r.overridden && r.parts.some(partUncommitted)).length;
  const backed = counted.length - overridden - uncommitted;
  const why = [`${c.status}, addressed ${c.addressed}: ${c.explanation}`];
  if (c.rationale) why.push(`Not applicable: ${c.rationale}`);
  return {
    requirement,
    ...nonEmpty('claims', [...new Set(claims)].sort(compareText)),
    ...nonEmpty('counterClaims', [...new Set(counterClaims)].sort(compareText)),
    conformance: { ...(c.score === null ? {} : { score: c.score }), rationale: why.join('\n') },
    // Confidence: how much of the score rests on committed evidence rather than on overrides or uncommitted files.
    ...(counted.length
      ? {
          confidence: {
            score: backed / counted.length,
            rationale: `${backed} of ${counted.length} counted results were decided from committed evidence${overridden ? `; ${overridden} by an override` : ''}${uncommitted ? `; ${uncommitted} from uncommitted files` : ''}.`,
          },
        }
      : {}),
  };
}

/** A content path as an IRI reference. */
function fileUrl(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------------------
// Validation

export type CycloneDxErrors = unknown[];

export interface CycloneDxValidation {
  /** null when valid, else the validator's errors. */
  errors: CycloneDxErrors | null;
  /**
   * `library`: @cyclonedx/cyclonedx-library's JsonStrictValidator. `fallback`:
   * the library lacks an optional dependency (ajv-formats-draft2019), so the
   * same schema files are compiled here with the library's ajv options.
   */
  validator: 'library' | 'fallback';
}

let fallback: ((data: unknown) => CycloneDxErrors | null) | undefined;

/** Validates CycloneDX 1.6 JSON text against the official JSON schema (strict). */
export async function validateCycloneDx(json: string): Promise<CycloneDxValidation> {
  try {
    const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
    return { errors: errors === null ? null : (Array.isArray(errors) ? errors : [errors]), validator: 'library' };
  } catch (error) {
    if (!(error instanceof Validation.MissingOptionalDependencyError)) throw error;
  }
  fallback ??= compileFallback();
  return { errors: fallback(JSON.parse(json)), validator: 'fallback' };
}

// CommonJS interop: the default export may arrive wrapped.
type AjvClass = typeof import('ajv').default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
type FormatsPlugin = typeof import('ajv-formats').default;
const addFormats: FormatsPlugin = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

/** What the library's ajv validator does (its src/_optPlug.node/__jsonValidators/ajv.ts), with `idn-email` checked here. */
function compileFallback(): (data: unknown) => CycloneDxErrors | null {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
  const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const ajv = new Ajv(
    Object.freeze({
      useDefaults: false,
      strict: false,
      strictSchema: false,
      addUsedSchema: false,
      allErrors: true,
      schemas: {
        'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': read('spdx.SNAPSHOT.schema.json'),
        'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': read('cryptography-defs.SNAPSHOT.schema.json'),
        'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': read('jsf-0.82.SNAPSHOT.schema.json'),
      },
      loadSchema: (uri: string) => {
        throw new Error(`Remote schemas are disabled: ${uri}`);
      },
    }),
  );
  addFormats(ajv);
  // ajv-formats-draft2019 would add these; an address with one @ and no spaces is what the schema needs here.
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addFormat('iri-reference', true);
  const validate = ajv.compile(read('bom-1.6.SNAPSHOT.schema.json'));
  return (data) => (validate(data) ? null : [...(validate.errors ?? [])]);
}
