// Report + Model → everything the portal pages show, as plain JSON. Pure: no
// I/O, no clock (`now` is an option). The public/confidential rules of SPEC
// section 9 are applied here, once, so a page cannot show what was never
// handed to it:
//
//   internal build      everything, confidential items included
//   public, public:true names, hashes, violations, proof bodies, attachments, downloads
//   public, default     statuses, dates, names and hashes; no violations, bodies, attachments or downloads
//   public, confidential statuses, counts, evidence kinds and dates; no names, file names, contents, hashes,
//                        commits or signers; the project itself appears under a pseudonym
//
// Free text the engine wrote about a part (messages, reasons) names files and
// findings, so a public build replaces it with a sentence built from the
// status and dates unless the part is fully public. Owners, approvers and the
// rationales of exceptions and overrides are internal and left out of public
// builds; applicability rationales stay (the Statement of Applicability needs them).
import { crosswalk, type CrosswalkRow, type Strength } from '../catalogs/crosswalk.ts';
import { coverageOf, type ProjectCoverage } from '../evaluate/coverage.ts';
import {
  emptyCounts,
  score as scoreOf,
  severityOrder,
  type ControlReport,
  type FrameworkReport,
  type Part,
  type PartStatus,
  type ProductReport,
  type Report,
  type RequirementResult,
  type Status,
  type StatusCounts,
} from '../evaluate/report-types.ts';
import type { EvidenceItem, Framework, Model, Periodicity, Proof, Requirement, Section } from '../model/types.ts';
import { lineChart, type Chart } from './chart.ts';
import { htmlToText, renderMarkdown } from './markdown.ts';

// ---------------------------------------------------------------- options

export interface HistoryPoint {
  commit: string;
  /** ISO date of the commit. */
  date: string;
  products: { name: string; score: number | null; frameworks: { name: string; score: number | null }[] }[];
}

export interface PortalOptions {
  public: boolean;
  /** ISO time the report was evaluated at; "due soon" counts from here. */
  now: string;
  /** Files the build put next to the site (packets, report.json, …), relative to the output folder. */
  downloads: string[];
  history?: HistoryPoint[];
  /** Evidence files and proof attachments will be copied into the site (under files/), so link them. */
  offerFiles?: boolean;
  /** The base path the site is served under; default Config.spec.portal.baseUrl, else "/". */
  base?: string;
  /** Window of "due soon", in days; default 30. */
  dueWithinDays?: number;
}

// ---------------------------------------------------------------- views

/** How much of an item a build may show. */
export type Access = 'full' | 'restricted' | 'hidden';

export interface ProjectRef {
  name: string;
  href: string | null;
}

export interface EvidenceView {
  /** Anchor in the evidence index; null when hidden. */
  anchor: string | null;
  href: string | null;
  access: Access;
  path: string | null;
  project: ProjectRef | null;
  kind: string;
  timestamp: string | null;
  size: number | null;
  sha256: string | null;
  commit: string | null;
  signed: boolean | null;
  signer: string | null;
  download: string | null;
}

export interface ProofView {
  anchor: string | null;
  access: Access;
  file: string | null;
  title: string | null;
  date: string | null;
  result: 'pass' | 'fail';
  scope: 'project' | 'product' | 'org';
  commit: string | null;
  signed: boolean | null;
  signer: string | null;
  sha256: string | null;
  /** Sanitised HTML of the body; null when not shown. */
  html: string | null;
  attachments: { name: string; download: string | null }[];
}

export interface PartView {
  type: 'policy' | 'proof';
  name: string;
  project: ProjectRef | null;
  status: PartStatus;
  optional: boolean;
  match: 'auto' | 'explicit' | null;
  /** Parameters as JSON text. */
  with: string | null;
  message: string;
  expires: string | null;
  graceUntil: string | null;
  access: Access;
  evaluation: {
    status: 'PASSED' | 'FAILED' | 'SKIPPED';
    timestamp: string | null;
    firstFailure: string | null;
    reason: string | null;
    /** null: not shown in this build. */
    violations: string[] | null;
  } | null;
  evidence: EvidenceView[];
  proof: ProofView | null;
}

export interface ResultView {
  project: ProjectRef | null;
  status: Status;
  underlying: Status | null;
  overridden: boolean;
  override: { status: 'PASSED' | 'FAILED'; date: string | null; rationale: string | null; by: string | null } | null;
  exception: { expires: string | null; rationale: string | null; approvedBy: string | null; owner: string | null } | null;
  rationale: string | null;
  parts: PartView[];
}

export interface FrameworkSummary {
  name: string;
  displayName: string;
  href: string;
  score: number | null;
  counts: StatusCounts;
  controls: number;
  controlCounts: StatusCounts;
}

export interface ApplicabilityView {
  requirement: string | null;
  requirementHref: string | null;
  control: string | null;
  controlHref: string | null;
  projects: ProjectRef[] | null;
  rationale: string | null;
}

export interface ExceptionView {
  product: string;
  productName: string;
  productHref: string;
  requirement: string;
  requirementHref: string | null;
  projects: ProjectRef[] | null;
  rationale: string | null;
  approvedBy: string | null;
  owner: string | null;
  expires: string | null;
  state: 'active' | 'ended' | 'open-ended';
  endsSoon: boolean;
}

export interface OverrideView {
  requirement: string;
  requirementHref: string | null;
  projects: ProjectRef[] | null;
  status: 'PASSED' | 'FAILED';
  rationale: string | null;
  by: string | null;
  date: string | null;
}

export interface MatrixView {
  columns: ProjectRef[];
  /** A "Product" column for PRODUCT-scoped requirements. */
  productColumn: boolean;
  rows: { requirement: string; href: string; scope: 'PROJECT' | 'PRODUCT'; cells: (Status | null)[]; product: Status | null }[];
}

export interface ProductView {
  name: string;
  displayName: string;
  href: string;
  version: string | null;
  owner: string | null;
  score: number | null;
  counts: StatusCounts;
  projects: (ProjectRef & { score: number | null; counts: StatusCounts })[];
  frameworks: FrameworkSummary[];
  applicability: ApplicabilityView[];
  matrix: MatrixView;
  exceptions: ExceptionView[];
  overrides: OverrideView[];
  soaHref: string | null;
}

export interface TreeNode {
  name: string;
  id: string;
  description: string | null;
  control: { id: string; name: string; href: string; status: Status; score: number | null; addressed: string; applicable: boolean } | null;
  children: TreeNode[];
}

export interface FrameworkPage {
  product: string;
  productName: string;
  productHref: string;
  name: string;
  displayName: string;
  description: string | null;
  href: string;
  score: number | null;
  counts: StatusCounts;
  controlCounts: StatusCounts;
  tree: TreeNode[];
  soaHref: string | null;
}

export interface RelatedControl {
  framework: string;
  frameworkName: string;
  control: string;
  name: string;
  href: string;
  status: Status | null;
  strength: Strength;
  via: { requirement: string; from: string; to: string }[];
}

export interface ControlPage {
  product: string;
  productName: string;
  productHref: string;
  framework: string;
  frameworkName: string;
  frameworkHref: string;
  id: string;
  name: string;
  href: string;
  path: string[];
  tags: string[];
  description: string | null;
  status: Status;
  score: number | null;
  addressed: 'full' | 'partial' | 'none';
  explanation: string;
  applicable: boolean;
  rationale: string | null;
  requirements: {
    ref: string;
    href: string | null;
    name: string;
    relationship: string;
    rationale: string | null;
    resolved: boolean;
    status: Status;
    results: { project: ProjectRef | null; status: Status }[];
  }[];
  related: RelatedControl[];
}

export interface CoverageView {
  project: ProjectRef;
  coverage: 'FULL' | 'PARTIAL' | 'NONE';
  policies: { policy: string; match: 'explicit' | 'auto' | null; with: string | null; mismatches: { with: string; source: string | null }[] }[];
}

export interface RequirementPage {
  product: string;
  productName: string;
  productHref: string;
  name: string;
  displayName: string;
  href: string;
  description: string | null;
  scope: 'PROJECT' | 'PRODUCT';
  active: boolean;
  categories: string[];
  status: Status;
  policies: { ref: string; with: string; periodicity: string | null; sla: number | null }[];
  proofs: { name: string; description: string | null; optional: boolean; periodicity: string | null }[];
  controls: { framework: string; frameworkName: string; id: string; href: string; relationship: string }[];
  results: ResultView[];
  coverage: CoverageView[];
}

export interface ContractView {
  name: string;
  entries: { ref: string; with: string; requirements: string[] }[];
}

export interface ProjectPage {
  slug: string;
  name: string;
  href: string;
  access: Access;
  owner: string | null;
  products: { name: string; displayName: string; href: string }[];
  contracts: ContractView[] | null;
  score: number | null;
  counts: StatusCounts;
  results: { product: string; productName: string; requirement: string; href: string; status: Status }[];
  evidence: EvidenceView[];
  coverage: { product: string; productName: string; requirement: string; href: string; coverage: 'FULL' | 'PARTIAL' | 'NONE' }[];
}

export interface SoaPage {
  product: string;
  productName: string;
  productHref: string;
  framework: string;
  frameworkName: string;
  frameworkHref: string;
  href: string;
  rows: {
    id: string;
    name: string;
    href: string;
    theme: string;
    applicable: boolean;
    justification: string;
    addressed: 'full' | 'partial' | 'none';
    explanation: string;
    status: Status;
    score: number | null;
    requirements: { ref: string; href: string | null }[];
  }[];
  counts: { applicable: number; notApplicable: number };
}

export interface EvidenceGroup {
  project: ProjectRef | null;
  label: string;
  items: EvidenceView[];
}

export interface RegisterItem {
  product: string;
  productName: string;
  requirement: string;
  requirementHref: string;
  project: ProjectRef | null;
  status: Status;
  underlying: Status | null;
  due: string | null;
  dueReason: string | null;
  overdue: boolean;
  owner: string | null;
  parts: { type: 'policy' | 'proof'; name: string; status: PartStatus }[];
}

export interface DueItem {
  kind: 'proof' | 'evidence' | 'exception';
  /** When it expires or ends. */
  date: string;
  days: number;
  product: string;
  productName: string;
  requirement: string;
  href: string | null;
  project: ProjectRef | null;
  label: string;
}

export interface CrosswalkPair {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  href: string;
  count: number;
  rows: { control: string; name: string; href: string | null; mapped: { control: string; name: string; href: string | null; strength: Strength; via: { requirement: string; from: string; to: string }[] }[] }[];
  unmapped: number;
}

export interface HistoryView {
  products: {
    name: string;
    displayName: string;
    chart: Chart;
    columns: string[];
    rows: { date: string; commit: string; scores: (number | null)[] }[];
  }[];
}

export interface SearchRecord {
  /** Site-relative URL with a leading slash; Pagefind's baseUrl adds the base. */
  url: string;
  title: string;
  content: string;
  type: string;
}

export interface PortalData {
  meta: {
    title: string;
    organization: string | null;
    generator: { name: string; version: string };
    now: string;
    commit: { sha: string; date: string; dirty: boolean } | null;
    public: boolean;
    base: string;
    diagnostics: { errors: number; warnings: number; notes: number };
    dueWithinDays: number;
  };
  products: ProductView[];
  frameworkPages: FrameworkPage[];
  controlPages: ControlPage[];
  requirementPages: RequirementPage[];
  projectPages: ProjectPage[];
  soaPages: SoaPage[];
  evidence: EvidenceGroup[];
  register: { items: RegisterItem[]; exceptions: ExceptionView[] };
  dueSoon: DueItem[];
  crosswalk: { frameworks: { name: string; displayName: string }[]; pairs: CrosswalkPair[] };
  history: HistoryView | null;
  downloads: { path: string; href: string; name: string; type: string }[];
  search: SearchRecord[];
  /** Content files to copy into the site: source relative to the content root, target relative to the site. */
  files: { source: string; target: string }[];
}

// ---------------------------------------------------------------- helpers

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => byText(key(a), key(b));

/** A URL path segment: lower case, [a-z0-9._-], never empty, never only dots. */
export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return s || 'item';
}

/** Unique slugs within one namespace, in the order asked. */
function slugger(taken: Iterable<string> = []) {
  const used = new Set(taken);
  return (text: string) => {
    const base = slugify(text);
    let s = base;
    for (let n = 2; used.has(s); n++) s = `${base}-${n}`;
    used.add(s);
    return s;
  };
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const periodicityText = (p: Periodicity | undefined) => p?.text ?? null;
const DAY = 86_400_000;

/** An exception applies through the end of its `expires` day (UTC): its last instant. */
const exceptionEnd = (expires: string) => new Date(Date.parse(`${expires.slice(0, 10)}T00:00:00Z`) + DAY - 1).toISOString();

function worstPart(list: PartStatus[]): PartStatus | null {
  return severityOrder.find((s) => list.includes(s)) ?? null;
}

function countsOf(list: Status[]): StatusCounts {
  const counts = emptyCounts();
  for (const s of list) counts[s]++;
  return counts;
}

// ---------------------------------------------------------------- portalData

export function portalData(report: Report, model: Model, options: PortalOptions): PortalData {
  const isPublicBuild = options.public;
  const nowMs = Date.parse(options.now);
  const dueWithinDays = options.dueWithinDays ?? 30;
  const dueLimit = nowMs + dueWithinDays * DAY;
  const base = normaliseBase(options.base ?? model.config.portal?.baseUrl ?? '/');
  const files = new Map<string, string>();
  const offer = (source: string) => {
    const target = `files/${source}`;
    files.set(source, target);
    return encodePath(target);
  };

  const products = [...report.products].sort(byKey((p) => p.name));
  const productSlug = slugger();
  const productHref = new Map(products.map((p) => [p.name, `products/${productSlug(p.name)}/`]));

  // Projects: every project of the model and every project a product names.
  const projectNames = new Set<string>(Object.keys(model.projects));
  for (const p of products) for (const name of p.projects) projectNames.add(name);
  const confidential = (name: string | null | undefined) => !!name && !!model.projects[name]?.confidential;
  const publicProject = (name: string | null | undefined) => !!name && !!model.projects[name]?.public && !confidential(name);
  const projectRefs = new Map<string, ProjectRef & { slug: string }>();
  {
    const sorted = [...projectNames].sort(byText);
    const hiddenNames = isPublicBuild ? sorted.filter(confidential) : [];
    const visible = sorted.filter((n) => !hiddenNames.includes(n));
    const slug = slugger();
    for (const name of visible) {
      const s = slug(name);
      projectRefs.set(name, { name, slug: s, href: `projects/${s}/` });
    }
    hiddenNames.forEach((name, i) => {
      const s = slug(`confidential-project-${i + 1}`);
      projectRefs.set(name, { name: `Confidential project ${i + 1}`, slug: s, href: `projects/${s}/` });
    });
  }
  const projectRef = (name: string | null | undefined): ProjectRef | null => {
    if (!name) return null;
    const r = projectRefs.get(name);
    return r ? { name: r.name, href: r.href } : { name, href: null };
  };

  // What a build may show of evidence, proofs and parts.
  const evidenceAccess = (item: { project: string | null }): Access =>
    !isPublicBuild ? 'full' : confidential(item.project) ? 'hidden' : publicProject(item.project) ? 'full' : 'restricted';
  const proofAccess = (proof: Proof, context: string | null): Access =>
    !isPublicBuild
      ? 'full'
      : proof.confidential || confidential(proof.project) || confidential(context)
        ? 'hidden'
        : proof.public
          ? 'full'
          : 'restricted';
  const projectAccess = (name: string | null): Access => (!isPublicBuild ? 'full' : confidential(name) ? 'hidden' : publicProject(name) ? 'full' : 'restricted');

  // Evidence: one view per item, anchors unique in the evidence index.
  const evidenceByPath = new Map(model.evidence.map((e) => [e.path, e]));
  const anchorSlug = slugger();
  const evidenceAnchor = new Map<string, string>();
  for (const item of [...model.evidence].sort(byKey((e) => e.path))) {
    if (evidenceAccess(item) !== 'hidden') evidenceAnchor.set(item.path, `ev-${anchorSlug(item.path)}`);
  }
  const evidenceView = (item: EvidenceItem): EvidenceView => {
    const access = evidenceAccess(item);
    if (access === 'hidden') {
      return { anchor: null, href: null, access, path: null, project: projectRef(item.project), kind: item.kind, timestamp: item.timestamp ?? null, size: null, sha256: null, commit: null, signed: null, signer: null, download: null };
    }
    const anchor = evidenceAnchor.get(item.path) ?? null;
    const last = item.git.last;
    return {
      anchor,
      href: anchor ? `evidence/#${anchor}` : null,
      access,
      path: item.path,
      project: projectRef(item.project),
      kind: item.kind,
      timestamp: item.timestamp ?? null,
      size: item.size,
      sha256: item.sha256,
      commit: last?.sha ?? null,
      signed: last ? last.signature.signed : null,
      signer: last?.signature.signer ?? null,
      download: access === 'full' && options.offerFiles ? offer(item.path) : null,
    };
  };
  const evidenceViews = new Map<string, EvidenceView>();
  const evidenceOf = (path: string, context: string | null): EvidenceView => {
    const item = evidenceByPath.get(path);
    if (!item) {
      // A path the report names but the model does not hold (should not happen): name it only where names may show.
      const access = isPublicBuild && confidential(context) ? 'hidden' : 'restricted';
      return { anchor: null, href: null, access, path: access === 'hidden' ? null : path, project: projectRef(context), kind: 'file', timestamp: null, size: null, sha256: null, commit: null, signed: null, signer: null, download: null };
    }
    let view = evidenceViews.get(path);
    if (!view) evidenceViews.set(path, (view = evidenceView(item)));
    return view;
  };

  // Proofs: bodies rendered once per file and access level.
  const proofsByFile = new Map(model.proofs.map((p) => [p.file, p]));
  const proofSlug = slugger();
  const proofAnchor = new Map<string, string>();
  for (const p of [...model.proofs].sort(byKey((p) => p.file))) proofAnchor.set(p.file, `proof-${proofSlug(p.file)}`);
  const proofHtml = new Map<string, string>();
  const proofView = (file: string, ref: Part['proof'], context: string | null): ProofView | null => {
    const proof = proofsByFile.get(file);
    if (!proof || !ref) return null;
    const access = proofAccess(proof, context);
    if (access === 'hidden') {
      return { anchor: null, access, file: null, title: null, date: ref.date, result: ref.result, scope: ref.scope, commit: null, signed: null, signer: null, sha256: null, html: null, attachments: [] };
    }
    const anchor = proofAnchor.get(file) ?? null;
    const attachments = access === 'full' ? proof.attachments.map((a) => ({ name: a.path, download: options.offerFiles ? offer(a.path) : null })) : [];
    let html: string | null = null;
    if (access === 'full') {
      html = proofHtml.get(file) ?? null;
      if (html === null) {
        const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
        html = renderMarkdown(proof.body, {
          headingOffset: 4,
          idPrefix: `${anchor}-`,
          resolveLink: (url) => {
            const target = normaliseRelative(dir + url.split('#')[0]);
            const attached = proof.attachments.find((a) => a.path === target);
            return attached && options.offerFiles ? `${base}${offer(attached.path)}` : null;
          },
        });
        proofHtml.set(file, html);
      }
    }
    return {
      anchor,
      access,
      file: proof.file,
      title: proof.title ?? null,
      date: ref.date,
      result: ref.result,
      scope: ref.scope,
      commit: ref.commit,
      signed: ref.signed,
      signer: ref.signer,
      sha256: ref.sha256,
      html,
      attachments,
    };
  };

  const partView = (part: Part, result: RequirementResult): PartView => {
    const context = part.project ?? result.project;
    const proof = part.type === 'proof' && part.proof ? proofView(part.proof.file, part.proof, context) : null;
    const access: Access = proof ? (proof.access === 'full' && projectAccess(context) !== 'hidden' ? 'full' : proof.access === 'hidden' ? 'hidden' : 'restricted') : projectAccess(context);
    const evaluation = part.evaluation
      ? {
          status: part.evaluation.status,
          timestamp: part.evaluation.timestamp,
          firstFailure: part.evaluation.firstFailure,
          reason: access === 'full' ? part.evaluation.reason : null,
          violations: access === 'full' ? [...part.evaluation.violations] : null,
        }
      : null;
    return {
      type: part.type,
      name: part.name,
      project: projectRef(part.project),
      status: part.status,
      optional: part.optional,
      match: part.match,
      with: json(part.with),
      message: access === 'full' ? part.message : publicMessage(part),
      expires: part.expires,
      graceUntil: part.graceUntil,
      access,
      evaluation,
      evidence: part.type === 'policy' ? part.evidence.map((p) => evidenceOf(p, context)) : [],
      proof,
    };
  };

  const resultView = (r: RequirementResult): ResultView => ({
    project: projectRef(r.project),
    status: r.status,
    underlying: r.underlying,
    overridden: r.overridden,
    override: r.override
      ? { status: r.override.status, date: r.override.date, rationale: isPublicBuild ? null : r.override.rationale, by: isPublicBuild ? null : r.override.by }
      : null,
    exception: r.exception
      ? { expires: r.exception.expires, rationale: isPublicBuild ? null : r.exception.rationale, approvedBy: isPublicBuild ? null : r.exception.approvedBy, owner: isPublicBuild ? null : r.exception.owner }
      : null,
    rationale: r.rationale,
    parts: r.parts.map((p) => partView(p, r)),
  });

  // Frameworks: control slugs per framework (the same in every product).
  const controlSlugs = new Map<string, Map<string, string>>();
  const controlSlug = (framework: string, id: string) => {
    let map = controlSlugs.get(framework);
    if (!map) {
      map = new Map();
      const slug = slugger();
      for (const c of model.frameworks[framework]?.controls ?? []) map.set(c.id, slug(c.id));
      controlSlugs.set(framework, map);
    }
    let s = map.get(id);
    if (!s) {
      s = slugger(map.values())(id);
      map.set(id, s);
    }
    return s;
  };
  const frameworkHref = (product: string, framework: string) => `${productHref.get(product)}frameworks/${slugify(framework)}/`;
  const controlHref = (product: string, framework: string, id: string) => `${frameworkHref(product, framework)}${controlSlug(framework, id)}/`;
  const requirementHref = (product: string, requirement: string) => `${productHref.get(product)}requirements/${slugify(requirement)}/`;
  const displayOf = (framework: string) => model.frameworks[framework]?.metadata.displayName ?? framework;

  const markdownCache = new Map<string, string>();
  const markdown = (text: string | undefined, key: string): string | null => {
    if (!text || !text.trim()) return null;
    let html = markdownCache.get(key);
    if (html === undefined) markdownCache.set(key, (html = renderMarkdown(text, { headingOffset: 2, idPrefix: `${slugify(key)}-` })));
    return html;
  };

  // Crosswalk over the frameworks of all products.
  const universe = [...new Set(products.flatMap((p) => p.frameworks.map((f) => f.name)))].filter((f) => f in model.frameworks).sort(byText);
  const crosswalkRows = new Map<string, CrosswalkRow[]>();
  const rowsOf = (a: string, b: string) => {
    const key = `${a}\0${b}`;
    let rows = crosswalkRows.get(key);
    if (!rows) crosswalkRows.set(key, (rows = crosswalk(model.frameworks[a], model.frameworks[b])));
    return rows;
  };
  const firstProductWith = (framework: string) => products.find((p) => p.frameworks.some((f) => f.name === framework))?.name ?? null;

  const coverageCache = new Map<string, ProjectCoverage[]>();
  const coverageFor = (requirement: Requirement) => {
    let c = coverageCache.get(requirement.metadata.name);
    if (!c) coverageCache.set(requirement.metadata.name, (c = coverageOf(model, requirement)));
    return c;
  };

  const productViews: ProductView[] = [];
  const frameworkPages: FrameworkPage[] = [];
  const controlPages: ControlPage[] = [];
  const requirementPages: RequirementPage[] = [];
  const soaPages: SoaPage[] = [];
  const registerItems: RegisterItem[] = [];
  const exceptionViews: ExceptionView[] = [];
  const dueSoon: DueItem[] = [];
  const search: SearchRecord[] = [];
  const projectResults = new Map<string, ProjectPage['results']>();
  const projectCoverage = new Map<string, ProjectPage['coverage']>();

  for (const product of products) {
    const pHref = productHref.get(product.name)!;
    const model_product = model.products[product.name];
    const requirementNames = [...new Set(product.results.map((r) => r.requirement))].sort(byText);
    const resultsByRequirement = new Map<string, RequirementResult[]>();
    for (const r of product.results) {
      const list = resultsByRequirement.get(r.requirement) ?? [];
      list.push(r);
      resultsByRequirement.set(r.requirement, list);
    }
    const hasPage = (requirement: string) => resultsByRequirement.has(requirement);
    const reqHref = (requirement: string) => (hasPage(requirement) ? requirementHref(product.name, requirement) : null);
    const soaFramework = product.frameworks.find((f) => f.name === 'iso27001-2022');
    const soaHref = soaFramework ? `${pHref}soa/` : null;

    // Frameworks and controls.
    const summaries: FrameworkSummary[] = [];
    for (const fw of product.frameworks) {
      const fwModel = model.frameworks[fw.name];
      const fHref = frameworkHref(product.name, fw.name);
      const controlCounts = countsOf(fw.controls.map((c) => c.status));
      summaries.push({ name: fw.name, displayName: fw.displayName, href: fHref, score: fw.score, counts: fw.counts, controls: fw.controls.length, controlCounts });
      const byId = new Map(fw.controls.map((c) => [c.id, c]));
      frameworkPages.push({
        product: product.name,
        productName: product.displayName,
        productHref: pHref,
        name: fw.name,
        displayName: fw.displayName,
        description: markdown(fwModel?.metadata.description, `fw-${fw.name}`),
        href: fHref,
        score: fw.score,
        counts: fw.counts,
        controlCounts,
        tree: frameworkTree(fwModel, fw, (id) => controlHref(product.name, fw.name, id), byId, markdown),
        soaHref: fw.name === 'iso27001-2022' ? soaHref : null,
      });
      const modelControls = new Map((fwModel?.controls ?? []).map((c) => [c.id, c]));
      for (const control of fw.controls) {
        const related: RelatedControl[] = [];
        for (const other of product.frameworks) {
          if (other.name === fw.name || !(other.name in model.frameworks) || !fwModel) continue;
          const otherControls = new Map(other.controls.map((c) => [c.id, c]));
          for (const row of rowsOf(fw.name, other.name)) {
            if (row.control !== control.id) continue;
            related.push({
              framework: other.name,
              frameworkName: other.displayName,
              control: row.other,
              name: otherControls.get(row.other)?.name ?? row.other,
              href: controlHref(product.name, other.name, row.other),
              status: otherControls.get(row.other)?.status ?? null,
              strength: row.strength,
              via: row.relationships.map((r) => ({ requirement: r.requirement, from: r.from, to: r.to })),
            });
          }
        }
        const href = controlHref(product.name, fw.name, control.id);
        controlPages.push({
          product: product.name,
          productName: product.displayName,
          productHref: pHref,
          framework: fw.name,
          frameworkName: fw.displayName,
          frameworkHref: fHref,
          id: control.id,
          name: control.name,
          href,
          path: [...control.path],
          tags: [...control.tags],
          description: markdown(modelControls.get(control.id)?.description, `ctl-${fw.name}-${control.id}`),
          status: control.status,
          score: control.score,
          addressed: control.addressed,
          explanation: control.explanation,
          applicable: control.applicable,
          rationale: control.rationale,
          requirements: control.requirements.map((r) => ({
            ref: r.ref,
            href: r.resolved ? reqHref(r.ref) : null,
            name: model.requirements[r.ref]?.metadata.displayName ?? r.ref,
            relationship: r.relationship,
            rationale: r.rationale,
            resolved: r.resolved,
            status: r.status,
            results: (resultsByRequirement.get(r.ref) ?? []).map((x) => ({ project: projectRef(x.project), status: x.status })),
          })),
          related,
        });
      }
    }

    // Requirements.
    for (const name of requirementNames) {
      const requirement = model.requirements[name];
      const results = resultsByRequirement.get(name) ?? [];
      const href = requirementHref(product.name, name);
      const views = results.map(resultView);
      const controls = product.frameworks.flatMap((fw) =>
        fw.controls.flatMap((c) =>
          c.requirements.filter((r) => r.ref === name).map((r) => ({ framework: fw.name, frameworkName: fw.displayName, id: c.id, href: controlHref(product.name, fw.name, c.id), relationship: r.relationship })),
        ),
      );
      const rawCoverage = requirement ? coverageFor(requirement).filter((c) => product.projects.includes(c.project)) : [];
      const coverage: CoverageView[] = rawCoverage.map((c) => coverageView(c, projectRef(c.project)!, isPublicBuild, projectAccess(c.project))).sort(byKey((c) => c.project.name));
      requirementPages.push({
        product: product.name,
        productName: product.displayName,
        productHref: pHref,
        name,
        displayName: requirement?.metadata.displayName ?? name,
        href,
        description: markdown(requirement?.metadata.description, `req-${name}`),
        scope: requirement?.scope ?? 'PROJECT',
        active: requirement?.active ?? true,
        categories: requirement ? [...requirement.categories] : [],
        status: aggregateStatus(results.map((r) => r.status)),
        policies: (requirement?.policies ?? []).map((p) => ({ ref: p.ref, with: JSON.stringify(p.with), periodicity: periodicityText(p.periodicity), sla: p.sla ?? null })),
        proofs: (requirement?.manualProofs ?? []).map((p) => ({ name: p.name, description: p.description ?? null, optional: p.optional, periodicity: periodicityText(p.periodicity) })),
        controls,
        results: views,
        coverage,
      });
      for (const c of rawCoverage) {
        const list = projectCoverage.get(c.project) ?? [];
        list.push({ product: product.name, productName: product.displayName, requirement: name, href, coverage: c.coverage });
        projectCoverage.set(c.project, list);
      }
      // Proofs are searchable where they are shown.
      const shown = new Set<string>();
      for (const v of views) {
        for (const part of v.parts) {
          const p = part.proof;
          if (!p || !p.anchor || !p.file || shown.has(p.file)) continue;
          shown.add(p.file);
          search.push({
            url: `/${href}#${p.anchor}`,
            title: `Proof ${p.title ?? p.file} — ${requirement?.metadata.displayName ?? name} (${product.displayName})`,
            content: [p.file, part.name, name, p.html ? htmlToText(p.html) : ''].filter(Boolean).join(' '),
            type: 'Proof',
          });
        }
      }
      for (const r of results) {
        if (r.project) {
          const list = projectResults.get(r.project) ?? [];
          list.push({ product: product.name, productName: product.displayName, requirement: name, href, status: r.status });
          projectResults.set(r.project, list);
        }
        const item = registerItem(r, product, href, model, isPublicBuild, projectRef, nowMs);
        if (item) registerItems.push(item);
        for (const part of r.parts) {
          if (part.status !== 'PASSED' || !part.expires) continue;
          const t = Date.parse(part.expires);
          if (t < nowMs || t >= dueLimit) continue;
          const project = part.project ?? r.project;
          dueSoon.push({
            kind: part.type === 'proof' ? 'proof' : 'evidence',
            date: part.expires,
            days: Math.floor((t - nowMs) / DAY),
            product: product.name,
            productName: product.displayName,
            requirement: name,
            href,
            project: projectRef(project),
            label: part.type === 'proof' ? `Proof "${part.name}" expires` : `Evidence for ${part.name} expires`,
          });
        }
      }
    }

    // Exceptions, overrides, applicability.
    const refs = (list: string[] | undefined) => (list ? list.map((n) => projectRef(n)!).sort(byKey((r) => r.name)) : null);
    for (const e of model_product?.exceptions ?? []) {
      const end = e.expires ? exceptionEnd(e.expires) : null;
      const endMs = end ? Date.parse(end) : null;
      const state = endMs === null ? 'open-ended' : nowMs <= endMs ? 'active' : 'ended';
      const endsSoon = endMs !== null && nowMs <= endMs && endMs < dueLimit;
      const view: ExceptionView = {
        product: product.name,
        productName: product.displayName,
        productHref: pHref,
        requirement: e.requirement,
        requirementHref: reqHref(e.requirement),
        projects: refs(e.projects),
        rationale: isPublicBuild ? null : (e.rationale ?? null),
        approvedBy: isPublicBuild ? null : (e.approvedBy ?? null),
        owner: isPublicBuild ? null : (e.owner ?? null),
        expires: e.expires ?? null,
        state,
        endsSoon,
      };
      exceptionViews.push(view);
      if (endsSoon && end) {
        dueSoon.push({
          kind: 'exception',
          date: end,
          days: Math.floor((Date.parse(end) - nowMs) / DAY),
          product: product.name,
          productName: product.displayName,
          requirement: e.requirement,
          href: reqHref(e.requirement),
          project: view.projects && view.projects.length === 1 ? view.projects[0] : null,
          label: `Exception ends (through ${e.expires})`,
        });
      }
    }
    const overrides: OverrideView[] = (model_product?.overrides ?? []).map((o) => ({
      requirement: o.requirement,
      requirementHref: reqHref(o.requirement),
      projects: refs(o.projects),
      status: o.status,
      rationale: isPublicBuild ? null : (o.rationale ?? null),
      by: isPublicBuild ? null : (o.by ?? null),
      date: o.date ?? null,
    }));
    const applicability: ApplicabilityView[] = (model_product?.applicability ?? []).map((a) => {
      const [fw, ...rest] = (a.control ?? '').split('/');
      const id = rest.join('/');
      const known = a.control !== undefined && product.frameworks.some((f) => f.name === fw && f.controls.some((c) => c.id === id));
      return {
        requirement: a.requirement ?? null,
        requirementHref: a.requirement ? reqHref(a.requirement) : null,
        control: a.control ?? null,
        controlHref: known ? controlHref(product.name, fw, id) : null,
        projects: refs(a.projects),
        rationale: a.rationale ?? null,
      };
    });

    // The applicability matrix: requirement × project.
    const columns = product.projects.map((p) => projectRef(p)!);
    const matrixRows = requirementNames.map((name) => {
      const results = resultsByRequirement.get(name) ?? [];
      const productResult = results.find((r) => r.project === null) ?? null;
      return {
        requirement: name,
        href: requirementHref(product.name, name),
        scope: (model.requirements[name]?.scope ?? 'PROJECT') as 'PROJECT' | 'PRODUCT',
        cells: product.projects.map((p) => results.find((r) => r.project === p)?.status ?? null),
        product: productResult?.status ?? null,
      };
    });

    const projects = product.projects.map((p) => {
      const statuses = product.results.filter((r) => r.project === p).map((r) => r.status);
      return { ...projectRef(p)!, score: scoreOf(statuses), counts: countsOf(statuses) };
    });

    productViews.push({
      name: product.name,
      displayName: product.displayName,
      href: pHref,
      version: product.version,
      owner: isPublicBuild ? null : product.owner,
      score: product.score,
      counts: product.counts,
      projects,
      frameworks: summaries,
      applicability,
      matrix: { columns, productColumn: matrixRows.some((r) => r.scope === 'PRODUCT'), rows: matrixRows },
      exceptions: exceptionViews.filter((e) => e.product === product.name),
      overrides,
      soaHref,
    });

    if (soaFramework && soaHref) {
      const fwModel = model.frameworks[soaFramework.name];
      const themes = new Map((fwModel?.controls ?? []).map((c) => [c.id, c.path.join(' › ')]));
      const rows = soaFramework.controls.map((c) => ({
        id: c.id,
        name: c.name,
        href: controlHref(product.name, soaFramework.name, c.id),
        theme: themes.get(c.id) ?? '',
        applicable: c.applicable,
        justification: c.applicable
          ? c.requirements.length
            ? 'Applicable: implemented through the requirements listed.'
            : 'Applicable; no requirement is mapped to it yet.'
          : (c.rationale ?? 'Listed as not applicable in the applicability matrix.'),
        addressed: c.addressed,
        explanation: c.explanation,
        status: c.status,
        score: c.score,
        requirements: c.requirements.map((r) => ({ ref: r.ref, href: r.resolved ? reqHref(r.ref) : null })),
      }));
      soaPages.push({
        product: product.name,
        productName: product.displayName,
        productHref: pHref,
        framework: soaFramework.name,
        frameworkName: soaFramework.displayName,
        frameworkHref: frameworkHref(product.name, soaFramework.name),
        href: soaHref,
        rows,
        counts: { applicable: rows.filter((r) => r.applicable).length, notApplicable: rows.filter((r) => !r.applicable).length },
      });
    }
  }

  // Projects.
  const projectPages: ProjectPage[] = [...projectRefs.entries()]
    .map(([name, ref]): ProjectPage => {
      const project = model.projects[name];
      const access = projectAccess(name);
      const results = (projectResults.get(name) ?? []).sort((a, b) => byText(a.product, b.product) || byText(a.requirement, b.requirement));
      const contracts: ContractView[] | null =
        access === 'hidden' || !project
          ? null
          : [
              ...project.contracts.map((c) => ({ name: c, entries: (model.contracts[c]?.policies ?? []).map(entryView) })),
              ...(project.policies.length ? [{ name: '(inline in the project)', entries: project.policies.map(entryView) }] : []),
            ];
      const evidence = model.evidence
        .filter((e) => e.project === name)
        .map((e) => evidenceOf(e.path, name))
        .sort(access === 'hidden' ? (a, b) => byText(a.kind, b.kind) || byText(a.timestamp ?? '', b.timestamp ?? '') : byKey((e) => e.path ?? ''));
      return {
        slug: ref.slug,
        name: ref.name,
        href: ref.href!,
        access,
        owner: isPublicBuild ? null : (project?.owner ?? null),
        products: products.filter((p) => p.projects.includes(name)).map((p) => ({ name: p.name, displayName: p.displayName, href: productHref.get(p.name)! })),
        contracts,
        score: scoreOf(results.map((r) => r.status)),
        counts: countsOf(results.map((r) => r.status)),
        results,
        evidence,
        coverage: (projectCoverage.get(name) ?? []).sort((a, b) => byText(a.product, b.product) || byText(a.requirement, b.requirement)),
      };
    })
    .sort(byKey((p) => p.slug));

  // The evidence index, grouped by project (shared evidence first).
  const groups = new Map<string, EvidenceView[]>();
  for (const item of model.evidence) {
    const key = item.project ?? '';
    const list = groups.get(key) ?? [];
    list.push(evidenceOf(item.path, item.project));
    groups.set(key, list);
  }
  const evidence: EvidenceGroup[] = [...groups.entries()]
    .map(([key, items]) => {
      const ref = key ? projectRef(key) : null;
      const hidden = items.some((i) => i.access === 'hidden');
      items.sort(hidden ? (a, b) => byText(a.kind, b.kind) || byText(a.timestamp ?? '', b.timestamp ?? '') : byKey((e) => e.path ?? ''));
      return { project: ref, label: ref ? ref.name : 'Shared (evidence/_shared)', items };
    })
    .sort((a, b) => (a.project === null ? -1 : b.project === null ? 1 : byText(a.label, b.label)));
  for (const group of evidence) {
    for (const e of group.items) {
      if (!e.anchor || !e.path) continue;
      search.push({
        url: `/${e.href}`,
        title: `Evidence ${e.path}`,
        content: [e.path, e.kind, group.label, e.sha256, e.commit, e.signer].filter(Boolean).join(' '),
        type: 'Evidence',
      });
    }
  }

  // Crosswalk pages.
  const pairs: CrosswalkPair[] = [];
  for (const a of universe) {
    for (const b of universe) {
      if (a === b) continue;
      const rows = rowsOf(a, b);
      const pa = firstProductWith(a);
      const pb = firstProductWith(b);
      const namesA = new Map(model.frameworks[a].controls.map((c) => [c.id, c.name]));
      const namesB = new Map(model.frameworks[b].controls.map((c) => [c.id, c.name]));
      const grouped = new Map<string, CrosswalkPair['rows'][number]['mapped']>();
      for (const row of rows) {
        const list = grouped.get(row.control) ?? [];
        list.push({ control: row.other, name: namesB.get(row.other) ?? row.other, href: pb ? controlHref(pb, b, row.other) : null, strength: row.strength, via: row.relationships.map((r) => ({ requirement: r.requirement, from: r.from, to: r.to })) });
        grouped.set(row.control, list);
      }
      const pairRows = model.frameworks[a].controls
        .filter((c) => grouped.has(c.id))
        .map((c) => ({ control: c.id, name: c.name, href: pa ? controlHref(pa, a, c.id) : null, mapped: grouped.get(c.id)! }));
      pairs.push({
        from: a,
        fromName: displayOf(a),
        to: b,
        toName: displayOf(b),
        href: `crosswalk/${slugify(a)}/${slugify(b)}/`,
        count: rows.length,
        rows: pairRows,
        unmapped: model.frameworks[a].controls.length - pairRows.length,
      });
    }
  }

  registerItems.sort((x, y) => byText(x.due ?? '\uffff', y.due ?? '\uffff') || byText(x.product, y.product) || byText(x.requirement, y.requirement) || byText(x.project?.name ?? '', y.project?.name ?? ''));
  dueSoon.sort((x, y) => byText(x.date, y.date) || byText(x.product, y.product) || byText(x.requirement, y.requirement) || byText(x.project?.name ?? '', y.project?.name ?? '') || byText(x.label, y.label));
  exceptionViews.sort((x, y) => byText(x.product, y.product) || byText(x.expires ?? '\uffff', y.expires ?? '\uffff') || byText(x.requirement, y.requirement));
  for (const page of controlPages) search.push(controlRecord(page));
  for (const page of requirementPages) search.push(requirementRecord(page));
  search.sort((x, y) => byText(x.url, y.url));

  return {
    meta: {
      title: model.config.portal?.title ?? (report.organization ? `${report.organization} compliance` : 'Compliance portal'),
      organization: report.organization,
      generator: { ...report.generator },
      now: options.now,
      commit: report.commit ? { ...report.commit } : null,
      public: isPublicBuild,
      base,
      diagnostics: { ...report.diagnostics },
      dueWithinDays,
    },
    products: productViews,
    frameworkPages,
    controlPages,
    requirementPages,
    projectPages,
    soaPages,
    evidence,
    register: { items: registerItems, exceptions: exceptionViews },
    dueSoon,
    crosswalk: { frameworks: universe.map((f) => ({ name: f, displayName: displayOf(f) })), pairs },
    history: historyView(options.history, products),
    downloads: [...new Set(options.downloads)].sort(byText).map((p) => ({ path: p, href: encodePath(p.replace(/^\/+/, '')), name: p.split('/').pop() ?? p, type: fileType(p) })),
    search,
    files: [...files.entries()].map(([source, target]) => ({ source, target })).sort(byKey((f) => f.source)),
  };
}

// ---------------------------------------------------------------- search records

const words = (parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' ');

/**
 * A control page as Pagefind finds it: its heading, summary, explanation,
 * description and requirements — what the page shows, from the view, so a
 * public build's record holds only what its page may show. Per-project badges
 * and mapped controls are left out, as they were from the page index.
 */
function controlRecord(page: ControlPage): SearchRecord {
  return {
    url: `/${page.href}`,
    title: `${page.id} ${page.name} · ${page.productName}`,
    content: words([
      page.id === page.name ? page.name : `${page.id} ${page.name}`,
      page.frameworkName,
      ...page.path,
      page.productName,
      page.status,
      page.explanation.replaceAll('`', ''),
      !page.applicable && `Not applicable: ${page.rationale ?? ''}`,
      ...page.tags,
      page.description && htmlToText(page.description),
      ...page.requirements.flatMap((r) => [r.name, r.name !== r.ref && r.ref, r.rationale, r.relationship, r.status]),
    ]),
    type: 'Control',
  };
}

/** A requirement page as Pagefind finds it: heading, parts, controls and results; evidence, proofs and coverage have records or pages of their own. */
function requirementRecord(page: RequirementPage): SearchRecord {
  return {
    url: `/${page.href}`,
    title: `${page.displayName} — ${page.productName}`,
    content: words([
      page.displayName,
      page.displayName !== page.name && page.name,
      page.productName,
      ...page.categories,
      page.status,
      page.description && htmlToText(page.description),
      ...page.policies.map((p) => p.ref),
      ...page.proofs.flatMap((p) => [p.name, p.description]),
      ...page.controls.map((c) => `${c.id} ${c.frameworkName}`),
      ...page.results.flatMap((r) => [
        r.project?.name,
        r.status,
        r.rationale,
        r.override?.rationale,
        r.exception?.rationale,
        ...r.parts.flatMap((p) => [p.name, p.status, p.message, ...(p.evaluation?.violations ?? [])]),
      ]),
    ]),
    type: 'Requirement',
  };
}

// ---------------------------------------------------------------- parts of the view

export function normaliseBase(base: string): string {
  let b = base.trim() || '/';
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b.replace(/\/{2,}/g, '/');
}

function normaliseRelative(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

function aggregateStatus(list: Status[]): Status {
  const counted = list.filter((s) => s !== 'INACTIVE' && s !== 'NOT_APPLICABLE' && s !== 'EXCEPTION') as PartStatus[];
  const worst = worstPart(counted);
  if (worst) return worst;
  if (list.includes('EXCEPTION')) return 'EXCEPTION';
  if (list.includes('NOT_APPLICABLE')) return 'NOT_APPLICABLE';
  return 'INACTIVE';
}

/** What a public build says about a part instead of the engine's message (which names files and findings). */
export function publicMessage(part: Part): string {
  const what = part.type === 'proof' ? 'Proof' : 'Evidence';
  switch (part.status) {
    case 'PASSED':
      return part.expires ? `${what} is current until ${part.expires.slice(0, 10)}.` : `${what} is current.`;
    case 'GRACE':
      return part.graceUntil ? `Failing; within its SLA until ${part.graceUntil.slice(0, 16).replace('T', ' ')} UTC.` : 'Failing; within its SLA.';
    case 'EXPIRED':
      return part.expires ? `${what} expired on ${part.expires.slice(0, 10)}.` : `${what} has expired.`;
    case 'FAILED':
      return 'Failed.';
    case 'MISSING':
      return part.type === 'proof' ? 'No proof on record.' : 'No matching evidence.';
  }
}

function entryView(e: { ref: string; with: Record<string, unknown>; requirements: string[] }) {
  return { ref: e.ref, with: JSON.stringify(e.with), requirements: [...e.requirements] };
}

function coverageView(c: ProjectCoverage, project: ProjectRef, isPublicBuild: boolean, access: Access): CoverageView {
  return {
    project,
    coverage: c.coverage,
    policies: c.policies.map((p) => ({
      policy: p.policy,
      match: p.match,
      with: json(p.with),
      mismatches: access === 'hidden' ? [] : p.mismatches.map((m) => ({ with: JSON.stringify(m.with), source: isPublicBuild ? null : m.source })),
    })),
  };
}

function frameworkTree(
  fw: Framework | undefined,
  report: FrameworkReport,
  href: (id: string) => string,
  byId: Map<string, ControlReport>,
  markdown: (text: string | undefined, key: string) => string | null,
): TreeNode[] {
  const controlOf = (id: string): TreeNode['control'] => {
    const c = byId.get(id);
    return c ? { id: c.id, name: c.name, href: href(c.id), status: c.status, score: c.score, addressed: c.addressed, applicable: c.applicable } : null;
  };
  if (!fw) return report.controls.map((c) => ({ name: c.name, id: c.id, description: null, control: controlOf(c.id), children: [] }));
  const placed = new Set<string>();
  const node = (s: Section): TreeNode => {
    if (s.isControl) placed.add(s.id);
    return {
      name: s.name,
      id: s.id,
      description: s.isControl ? null : markdown(s.description, `sec-${fw.metadata.name}-${s.id}`),
      control: s.isControl ? controlOf(s.id) : null,
      children: s.sections.map(node),
    };
  };
  const tree = fw.sections.map(node);
  // The implicit control (spec.requirements) and anything else not in a section go first.
  const loose = report.controls.filter((c) => !placed.has(c.id)).map((c): TreeNode => ({ name: c.name, id: c.id, description: null, control: controlOf(c.id), children: [] }));
  return [...loose, ...tree];
}

function registerItem(
  r: RequirementResult,
  product: ProductReport,
  href: string,
  model: Model,
  isPublicBuild: boolean,
  projectRef: (name: string | null | undefined) => ProjectRef | null,
  nowMs: number,
): RegisterItem | null {
  const failing = ['FAILED', 'MISSING', 'EXPIRED', 'GRACE'];
  if (!failing.includes(r.status) && !(r.status === 'EXCEPTION' && r.underlying && failing.includes(r.underlying))) return null;
  const requirement = model.requirements[r.requirement];
  const dues: { date: string; reason: string }[] = [];
  for (const part of r.parts) {
    if (part.optional) continue;
    if (part.status === 'GRACE' && part.graceUntil) dues.push({ date: part.graceUntil, reason: `${part.name}: SLA ends` });
    if (part.status === 'EXPIRED' && part.expires) dues.push({ date: part.expires, reason: `${part.name}: expired` });
    if (part.status === 'FAILED' && part.type === 'policy') {
      const sla = requirement?.policies.find((p) => p.ref === part.name)?.sla;
      const since = part.evaluation?.firstFailure ?? part.evaluation?.timestamp ?? null;
      if (sla !== undefined && since) dues.push({ date: new Date(Date.parse(since) + sla * 3_600_000).toISOString(), reason: `${part.name}: SLA of ${sla} h` });
    }
  }
  if (r.status === 'EXCEPTION' && r.exception?.expires) dues.push({ date: exceptionEnd(r.exception.expires), reason: `exception ends (through ${r.exception.expires.slice(0, 10)})` });
  dues.sort((a, b) => byText(a.date, b.date));
  const due = dues[0] ?? null;
  const project = r.project ? model.projects[r.project] : undefined;
  return {
    product: product.name,
    productName: product.displayName,
    requirement: r.requirement,
    requirementHref: href,
    project: projectRef(r.project),
    status: r.status,
    underlying: r.underlying,
    due: due?.date ?? null,
    dueReason: due?.reason ?? null,
    overdue: due ? Date.parse(due.date) <= nowMs : false,
    owner: isPublicBuild ? null : (r.exception?.owner ?? project?.owner ?? product.owner ?? null),
    parts: r.parts.filter((p) => !p.optional && p.status !== 'PASSED').map((p) => ({ type: p.type, name: p.name, status: p.status })),
  };
}

function historyView(history: HistoryPoint[] | undefined, products: ProductReport[]): HistoryView | null {
  if (!history || history.length === 0) return null;
  const points = [...history].sort((a, b) => byText(a.date, b.date) || byText(a.commit, b.commit));
  const views: HistoryView['products'] = [];
  for (const product of products) {
    const own = points.filter((p) => p.products.some((x) => x.name === product.name));
    if (!own.length) continue;
    const frameworks = [...new Set(own.flatMap((p) => p.products.find((x) => x.name === product.name)!.frameworks.map((f) => f.name)))].sort(byText);
    const rows = own.map((p) => {
      const entry = p.products.find((x) => x.name === product.name)!;
      return { date: p.date, commit: p.commit, scores: [entry.score, ...frameworks.map((f) => entry.frameworks.find((x) => x.name === f)?.score ?? null)] };
    });
    const columns = [product.displayName, ...frameworks.map((f) => product.frameworks.find((x) => x.name === f)?.displayName ?? f)];
    const chart = lineChart({
      dates: rows.map((r) => r.date),
      series: columns.map((label, i) => ({ name: i === 0 ? product.name : frameworks[i - 1], label, values: rows.map((r) => r.scores[i]) })),
    });
    views.push({ name: product.name, displayName: product.displayName, chart, columns, rows });
  }
  return views.length ? { products: views } : null;
}

function fileType(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.pdf')) return 'PDF';
  if (lower.endsWith('.json')) return 'JSON';
  if (lower.endsWith('.xml')) return 'XML';
  if (lower.endsWith('.csv')) return 'CSV';
  if (lower.endsWith('.md')) return 'Markdown';
  if (lower.endsWith('.zip')) return 'ZIP';
  return 'file';
}
