// Report → an OSCAL 1.1.2 assessment-results document (JSON) for one product:
// one result covering the audit period, a finding per control, an observation
// per requirement result pointing at the evidence behind it (path, SHA-256,
// git commit), and the evidence files as back-matter resources with hashes.
//
// Every UUID is a version 5 UUID of a fixed namespace and the subject's keys
// (never random), so that the same report gives a byte-identical document, and
// each subject keeps its UUID across revisions as OSCAL asks ("per-subject").
// The helpers below (uuidV5, evidence lookup, disclosure, audit period) are
// shared with cdxa.ts.
import { createHash } from 'node:crypto';
import type { ControlReport, FrameworkReport, Part, ProductReport, Report, RequirementResult, Status } from '../evaluate/report-types.ts';
import type { EvidenceItem, Model, Proof } from '../model/types.ts';
import { formatScore, md } from './markdown.ts';

export const OSCAL_VERSION = '1.1.2';

/** The namespace (`ns`) of evident's own OSCAL props. A URN, so that it claims no web address. */
export const EVIDENT_NS = 'urn:evident:oscal';

/** The fixed namespace of every UUID evident derives (OSCAL and CycloneDX exports). Never change it: it would change every UUID. */
export const UUID_NAMESPACE = '0c6f3b1e-6a52-4d8e-9f0b-5e1d7c2a9b47';

export interface ExportOptions {
  /**
   * The outward-facing variant (`build --public`, SPEC section 9): the evidence
   * of confidential projects and confidential proofs is left out entirely (no
   * names, paths or hashes), attachments appear only for public proofs, and the
   * parts that read such evidence say only their status.
   */
  public?: boolean;
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`Not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The UUID of a subject named by its keys (JSON-encoded, so keys cannot run together). */
export function subjectUuid(...keys: (string | null)[]): string {
  return uuidV5(JSON.stringify(keys));
}

/** Code-unit order: the same in every locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One file behind a part: an evidence item, a manual proof, or a proof's attachment. */
export interface EvidenceFile {
  /** Relative to the content root. */
  path: string;
  /** The evidence kind (`junit`, `cyclonedx`, …), `manual-proof` or `attachment`. */
  kind: string;
  sha256: string | null;
  /** The commit that last changed the file; null when uncommitted or unknown. */
  commit: string | null;
  /** When the evidence was produced (the proof's date for proofs). */
  timestamp: string | null;
  /** The project it belongs to, if any. */
  project: string | null;
}

/** Looks up the files behind parts and decides what may be disclosed. */
export interface EvidenceIndex {
  /** The disclosed files a part read, sorted by path; `withheld` when some were left out. */
  filesOf(part: Part): { files: EvidenceFile[]; withheld: boolean };
}

export function evidenceIndex(model: Model, options: ExportOptions = {}): EvidenceIndex {
  const items = new Map<string, EvidenceItem>(model.evidence.map((e) => [e.path, e]));
  const proofs = new Map<string, Proof>(model.proofs.map((p) => [p.file, p]));
  const attachments = new Map<string, { proof: Proof; sha256?: string }>();
  for (const p of model.proofs) for (const a of p.attachments) attachments.set(a.path, { proof: p, sha256: a.sha256 });

  const lookup = (path: string): { file: EvidenceFile; disclose: boolean } | undefined => {
    const item = items.get(path);
    if (item) {
      const confidential = item.project !== null && model.projects[item.project]?.confidential === true;
      return {
        file: { path, kind: item.kind, sha256: item.sha256, commit: item.git.dirty ? null : (item.git.last?.sha ?? null), timestamp: item.timestamp ?? null, project: item.project },
        disclose: !options.public || !confidential,
      };
    }
    const proof = proofs.get(path);
    if (proof) {
      return {
        file: { path, kind: 'manual-proof', sha256: proof.sha256, commit: proof.git.dirty ? null : (proof.git.last?.sha ?? null), timestamp: proof.date ?? null, project: proof.project ?? null },
        disclose: !options.public || !proof.confidential,
      };
    }
    const attachment = attachments.get(path);
    if (attachment) {
      const p = attachment.proof;
      return {
        file: { path, kind: 'attachment', sha256: attachment.sha256 ?? null, commit: p.git.dirty ? null : (p.git.last?.sha ?? null), timestamp: p.date ?? null, project: p.project ?? null },
        disclose: !options.public || (p.public && !p.confidential),
      };
    }
    // A path the model does not know (should not happen): name it only in the internal variant.
    return options.public ? undefined : { file: { path, kind: 'unknown', sha256: null, commit: null, timestamp: null, project: null }, disclose: true };
  };

  return {
    filesOf(part) {
      const paths = new Set(part.evidence);
      if (part.proof) paths.add(part.proof.file);
      const files: EvidenceFile[] = [];
      let withheld = false;
      for (const path of paths) {
        const found = lookup(path);
        if (found?.disclose) files.push(found.file);
        else withheld = true;
      }
      files.sort((a, b) => compareText(a.path, b.path));
      return { files, withheld };
    },
  };
}

/** The part's explanation, or only its status when it would name withheld evidence. */
export function partMessage(part: Part, withheld: boolean): string {
  return withheld ? `${part.status} (details withheld in the public variant).` : part.message;
}

/** The audit period (Config `audit.period`, whole days in UTC) or, without one, the instant `now`. */
export function assessmentPeriod(model: Model, now: string): { start: string; end: string } {
  const period = model.config.audit?.period;
  if (!period) return { start: now, end: now };
  const day = (d: string, time: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T${time}Z` : d);
  return { start: day(period.start, '00:00:00'), end: day(period.end, '23:59:59') };
}

/** The product's report, or a thrown error: asking for a product that was not evaluated is a caller's mistake. */
export function productReport(report: Report, product: string): ProductReport {
  const found = report.products.find((p) => p.name === product);
  if (!found) throw new Error(`The report has no product "${product}" (it has: ${report.products.map((p) => p.name).join(', ') || 'none'}).`);
  return found;
}

/** The requirement's own words: its description, else its display name, else its name. */
export function requirementText(model: Model, requirement: string): string {
  const r = model.requirements[requirement];
  return r?.metadata.description ?? r?.metadata.displayName ?? requirement;
}

/** The results that decide a control: those of its resolved requirements, in report order. */
export function controlResults(product: ProductReport, control: ControlReport): RequirementResult[] {
  const names = new Set(control.requirements.filter((r) => r.resolved).map((r) => refName(r.ref)));
  return product.results.filter((r) => names.has(r.requirement));
}

export function refName(ref: string): string {
  const i = ref.indexOf('/');
  return i < 0 ? ref : ref.slice(i + 1);
}

export const isFailing = (s: Status) => s === 'FAILED' || s === 'MISSING' || s === 'EXPIRED';

/** A string as an OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`): other characters become `_`, a leading digit gets a `_`. */
export function oscalToken(text: string): string {
  const body = text.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^(\p{L}|_)/u.test(body) ? body : `_${body}`;
}

/** A relative path as a URI reference (each segment percent-encoded). */
export function pathHref(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

type Prop = { name: string; ns?: string; value: string; class?: string };

/** An evident prop, or nothing when the value is empty. OSCAL string values are one line without outer spaces. */
function prop(name: string, value: string | number | null | undefined): Prop[] {
  if (value === null || value === undefined) return [];
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text ? [{ name, ns: EVIDENT_NS, value: text }] : [];
}

/**
 * OSCAL markup (Markdown) from a template: the interpolated values, which come
 * from content, are escaped; the template's own text is written as it is.
 */
function mu(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? md(String(values[i] ?? '')) : ''), '');
}

/** Paragraphs of OSCAL markup, empty ones dropped. */
function paragraphs(list: (string | null | undefined | false)[]): string {
  return list.filter((x): x is string => !!x).join('\n\n');
}

function nonEmpty<T>(key: string, list: T[]): Record<string, T[]> {
  return list.length ? { [key]: list } : {};
}

const satisfied: Record<Status, { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' }> = {
  PASSED: { state: 'satisfied', reason: 'pass' },
  GRACE: { state: 'satisfied', reason: 'pass' },
  NOT_APPLICABLE: { state: 'satisfied', reason: 'other' },
  FAILED: { state: 'not-satisfied', reason: 'fail' },
  MISSING: { state: 'not-satisfied', reason: 'fail' },
  EXPIRED: { state: 'not-satisfied', reason: 'fail' },
  EXCEPTION: { state: 'not-satisfied', reason: 'other' },
  INACTIVE: { state: 'not-satisfied', reason: 'other' },
};

const statusRemark: Partial<Record<Status, string>> = {
  GRACE: 'Failing, but within its remediation SLA (GRACE).',
  NOT_APPLICABLE: 'Not applicable to this product.',
  EXCEPTION: 'Not met; the risk is accepted by an unexpired exception.',
  INACTIVE: 'Not assessed: all its requirements are inactive.',
};

/** The OSCAL 1.1.2 assessment-results document of one product, as a JSON value. */
export function toOscalAssessmentResults(report: Report, model: Model, product: string, options: ExportOptions = {}): object {
  const p = productReport(report, product);
  const index = evidenceIndex(model, options);
  const period = assessmentPeriod(model, report.now);
  const resultUuid = subjectUuid('result', p.name, period.start, period.end);
  const toolUuid = subjectUuid('component', 'tool', 'evident');
  const subjectOf = (project: string | null) => (project === null ? subjectUuid('component', 'product', p.name) : subjectUuid('component', 'project', p.name, project));
  const origins = [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }];

  // Observations: one per requirement result; the evidence files they cite go to the back-matter.
  const used = new Map<string, EvidenceFile>();
  const observationOf = new Map<RequirementResult, string>();
  const observations = p.results.map((r) => {
    const uuid = subjectUuid('observation', p.name, period.start, period.end, r.requirement, r.project);
    observationOf.set(r, uuid);
    const evidence = new Map<string, { file: EvidenceFile; parts: string[] }>();
    const remarks: string[] = [];
    const methods = new Set<string>();
    let expires: string | null = null;
    for (const part of r.parts) {
      // Policies evaluate machine evidence (TEST); manual proofs are documents a person examined (EXAMINE).
      methods.add(part.type === 'policy' ? 'TEST' : 'EXAMINE');
      const { files, withheld } = index.filesOf(part);
      const from = part.project && !r.project ? ` (${part.project})` : '';
      remarks.push(mu`${part.type} ${part.name}${from}${part.optional ? ' (optional)' : ''}: ${part.status}: ${partMessage(part, withheld)}`);
      for (const f of files) {
        used.set(f.path, f);
        const entry = evidence.get(f.path) ?? { file: f, parts: [] };
        entry.parts.push(`${part.type}:${part.name}`);
        evidence.set(f.path, entry);
      }
      const until = part.status === 'GRACE' ? part.graceUntil : part.status === 'PASSED' && !part.optional ? part.expires : null;
      if (until && (expires === null || until < expires)) expires = until;
    }
    const o = r.override;
    if (r.overridden && o) remarks.push(mu`Overridden to ${o.status}` + (o.by ? mu` by ${o.by}` : '') + (o.date ? mu` on ${o.date}` : '') + (o.rationale ? mu`: ${o.rationale}` : ''));
    const e = r.exception;
    if (e) remarks.push(mu`Exception (underlying ${r.underlying ?? 'unknown'})` + (e.approvedBy ? mu`, approved by ${e.approvedBy}` : '') + (e.expires ? mu`, until ${e.expires}` : '') + (e.rationale ? mu`: ${e.rationale}` : ''));
    if (r.rationale) remarks.push(mu`Not applicable: ${r.rationale}`);
    const relevant = [...evidence.values()].map(({ file, parts }) => ({
      href: pathHref(file.path),
      description: mu`${file.kind} evidence ${file.path}`,
      props: [...prop('evidence-kind', file.kind), ...prop('sha256', file.sha256), ...prop('git-commit', file.commit), ...prop('evidence-timestamp', file.timestamp), ...parts.flatMap((x) => prop('part', x))],
      ...(file.sha256 ? { links: [{ href: `#${resourceUuid(file)}`, rel: 'reference' }] } : {}),
    }));
    const who = r.project ? mu`Project ${r.project}` : mu`Product ${p.name}`;
    return {
      uuid,
      title: mu`${r.requirement}` + (r.project ? mu` [${r.project}]` : '') + `: ${r.status}`,
      description: paragraphs([
        mu`${requirementText(model, r.requirement)}`,
        `${who}: ${r.status}${r.underlying ? ` (underlying ${r.underlying})` : ''}${r.overridden ? ', overridden' : ''}.`,
      ]),
      props: [...prop('requirement', r.requirement), ...prop('project', r.project), ...prop('status', r.status), ...prop('underlying-status', r.underlying), ...(r.overridden ? prop('overridden', 'true') : [])],
      methods: methods.size ? [...methods].sort(compareText) : ['EXAMINE'],
      origins,
      subjects: [{ 'subject-uuid': subjectOf(r.project), type: 'component' }],
      ...nonEmpty('relevant-evidence', relevant),
      collected: report.now,
      ...(expires ? { expires } : {}),
      ...(remarks.length ? { remarks: paragraphs(remarks) } : {}),
    };
  });

  // Findings: one per control of each framework.
  const findings = p.frameworks.flatMap((fw) =>
    fw.controls.map((c) => {
      const map = satisfied[c.status];
      const related = controlResults(p, c).map((r) => ({ 'observation-uuid': observationOf.get(r)! }));
      const implementation = c.status === 'NOT_APPLICABLE' ? 'not-applicable' : c.addressed === 'full' ? 'implemented' : c.addressed === 'partial' ? 'partial' : null;
      const remarks = paragraphs([statusRemark[c.status], c.rationale && mu`${c.rationale}`]);
      return {
        uuid: subjectUuid('finding', p.name, period.start, period.end, fw.name, c.id),
        title: mu`${fw.displayName} ${c.id}: ${c.name}`,
        description: paragraphs([`${c.status}, score ${formatScore(c.score)}, addressed ${c.addressed}.`, mu`${c.explanation}`]),
        props: [...prop('framework', fw.name), ...prop('control-id', c.id), ...prop('status', c.status), ...prop('addressed', c.addressed), ...prop('score', c.score)],
        origins,
        target: {
          type: 'objective-id',
          'target-id': oscalToken(c.id),
          title: mu`${c.name}`,
          status: { state: map.state, reason: map.reason, ...(remarks ? { remarks } : {}) },
          ...(implementation ? { 'implementation-status': { state: implementation } } : {}),
        },
        ...nonEmpty('related-observations', related),
      };
    }),
  );

  const operational = { state: 'operational' };
  const components = [
    { uuid: toolUuid, type: 'software', title: 'evident', description: mu`evident ${report.generator.version}, the evidence-as-code tool that evaluated the requirements.`, props: prop('version', report.generator.version), status: operational },
    {
      uuid: subjectOf(null),
      type: 'this-system',
      title: mu`${p.displayName}`,
      description: mu`Product ${p.name}` + (p.version ? mu` ${p.version}` : '') + (p.owner ? mu`, owned by ${p.owner}` : '') + '.',
      props: [...prop('product', p.name), ...prop('product-version', p.version)],
      status: operational,
    },
    ...[...p.projects].sort(compareText).map((name) => ({
      uuid: subjectOf(name),
      type: 'software',
      title: mu`${model.projects[name]?.metadata.displayName ?? name}`,
      description: mu`Project ${name} of product ${p.name}.`,
      props: prop('project', name),
      status: operational,
    })),
  ];

  const planUuid = subjectUuid('assessment-plan', p.name);
  const resources = [
    {
      uuid: planUuid,
      title: 'No separate assessment plan',
      description: mu`evident assesses ${p.name} against the requirements of its frameworks (${p.frameworks.map((f) => f.name).join(', ') || 'none'}) as written in the content repository. There is no separate OSCAL assessment plan, so import-ap points here.`,
    },
    ...[...used.values()]
      .filter((f) => f.sha256)
      .sort((a, b) => compareText(a.path, b.path))
      .map((f) => ({
        uuid: resourceUuid(f),
        title: mu`${f.path}`,
        props: [...prop('evidence-kind', f.kind), ...prop('git-commit', f.commit), ...prop('evidence-timestamp', f.timestamp)],
        rlinks: [{ href: pathHref(f.path), hashes: [{ algorithm: 'SHA-256', value: f.sha256! }] }],
      })),
  ];

  const organization = report.organization?.replace(/\s+/g, ' ').trim();
  const auditPeriod = model.config.audit?.period;
  return {
    'assessment-results': {
      uuid: subjectUuid('assessment-results', p.name),
      metadata: {
        title: mu`${p.displayName}` + (p.version ? mu` ${p.version}` : '') + ': evident assessment results',
        'last-modified': report.now,
        version: report.commit ? `${report.commit.sha}${report.commit.dirty ? '+dirty' : ''}` : report.now,
        'oscal-version': OSCAL_VERSION,
        props: [...prop('generator', `${report.generator.name} ${report.generator.version}`), ...prop('product', p.name), ...prop('product-version', p.version), ...prop('score', p.score), ...prop('evaluated-at', report.now)],
        ...(organization
          ? {
              roles: [{ id: 'assessor', title: 'Assessor' }],
              parties: [{ uuid: subjectUuid('party', organization), type: 'organization', name: organization }],
              'responsible-parties': [{ 'role-id': 'assessor', 'party-uuids': [subjectUuid('party', organization)] }],
            }
          : {}),
      },
      'import-ap': { href: `#${planUuid}`, remarks: 'There is no separate assessment plan; this points to the back-matter resource that says so.' },
      results: [
        {
          uuid: resultUuid,
          title: mu`Evaluation of ${p.displayName} at ${report.now}`,
          description:
            mu`evident evaluated ${p.results.length} requirement results of product ${p.name} at ${report.now}` +
            (auditPeriod ? mu` for the audit period ${auditPeriod.start} to ${auditPeriod.end}` : '') +
            `. Score ${formatScore(p.score)}.`,
          start: period.start,
          end: period.end,
          props: [...prop('score', p.score), ...Object.entries(p.counts).flatMap(([s, n]) => prop(`count-${s.toLowerCase().replace(/_/g, '-')}`, n))],
          'local-definitions': { components },
          'reviewed-controls': {
            'control-selections': p.frameworks.length ? p.frameworks.map(controlSelection) : [{ remarks: 'The product lists no frameworks.' }],
          },
          ...nonEmpty('observations', observations),
          ...nonEmpty('findings', findings),
        },
      ],
      'back-matter': { resources },
    },
  };
}

function controlSelection(fw: FrameworkReport): object {
  return {
    props: [...prop('framework', fw.name), ...prop('score', fw.score)],
    ...(fw.controls.length ? { 'include-controls': fw.controls.map((c) => ({ 'control-id': oscalToken(c.id) })) } : {}),
    remarks: mu`${fw.displayName}`,
  };
}

/** A back-matter resource per evidence file content: the same path and hash give the same UUID. */
function resourceUuid(file: EvidenceFile): string {
  return subjectUuid('resource', file.path, file.sha256);
}
