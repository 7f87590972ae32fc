// Pieces both packet kinds use: what a public build may show (SPEC section 9),
// the manifest of the files behind a set of results, the cover, the manifest
// appendix and small formatters. Pure functions over PacketInput.
import { severityOrder, type ControlReport, type FrameworkReport, type ProductReport, type RequirementResult, type Status } from '../evaluate/report-types.ts';
import { colors, statusColor, type Cell, type Layout, type Run } from './layout.ts';
import { markdownExcerpt } from './markdown.ts';
import type { Attachment, EvidenceFact, Manifest, ManifestFile, PacketInput, ProofFact } from './types.ts';

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** FAILED > MISSING > EXPIRED > GRACE > PASSED > EXCEPTION > NOT_APPLICABLE > INACTIVE, worst first. */
export const statusRank = (s: Status) => {
  const i = (severityOrder as string[]).indexOf(s);
  return i >= 0 ? i : severityOrder.length + ['EXCEPTION', 'NOT_APPLICABLE', 'INACTIVE'].indexOf(s);
};

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`;
}

/** 2026-11-20T10:00:00.000Z → 2026-11-20 10:00Z (UTC, seconds when not zero). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?Z$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''}Z`;
}

export const formatDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

export const statusRun = (s: Status | string, suffix = ''): Run => ({ text: s + suffix, font: 'bold', color: statusColor[s] ?? colors.text });

/** Decides what a (public) packet may show. Internal packets show everything. */
export class Visibility {
  readonly isPublic: boolean;
  private input: PacketInput;
  private evidence: Map<string, EvidenceFact>;
  private proofs: Map<string, ProofFact>;
  private pseudonyms = new Map<string, string>();

  constructor(input: PacketInput) {
    this.input = input;
    this.isPublic = input.public;
    this.evidence = new Map(input.facts.evidence.map((e) => [e.path, e]));
    this.proofs = new Map(input.facts.proofs.map((p) => [p.file, p]));
    const product = input.report.products.find((p) => p.name === input.product);
    const confidential = (product?.projects ?? []).filter((p) => input.facts.projects[p]?.confidential).sort(byText);
    confidential.forEach((p, i) => this.pseudonyms.set(p, `confidential project ${i + 1}`));
  }

  evidenceFact(path: string): EvidenceFact | undefined {
    return this.evidence.get(path);
  }

  proofFact(file: string): ProofFact | undefined {
    return this.proofs.get(file);
  }

  projectConfidential(project: string | null): boolean {
    return this.isPublic && project !== null && this.input.facts.projects[project]?.confidential === true;
  }

  /** A project's name as the packet prints it; null is the product itself. */
  projectLabel(project: string | null): string {
    if (project === null) return '(product)';
    if (this.projectConfidential(project)) return this.pseudonyms.get(project) ?? 'confidential project';
    return project;
  }

  /** Violations and failure messages: public builds only for public projects. */
  showDetails(project: string | null): boolean {
    if (!this.isPublic) return true;
    return project !== null && this.input.facts.projects[project]?.public === true && !this.projectConfidential(project);
  }

  proofConfidential(file: string): boolean {
    return this.isPublic && this.proofs.get(file)?.confidential === true;
  }

  /** Proof bodies and attachments: public builds only for public proofs. */
  proofBodyVisible(file: string): boolean {
    const p = this.proofs.get(file);
    if (!p) return false;
    return !this.isPublic || (p.public && !p.confidential);
  }

  /** Names and hashes of a file: hidden in public builds for confidential projects' evidence and confidential proofs. */
  fileVisible(path: string): boolean {
    if (!this.isPublic) return true;
    const e = this.evidence.get(path);
    if (e) return !this.projectConfidential(e.project);
    const p = this.proofs.get(path);
    if (p) return !p.confidential;
    const owner = this.input.facts.proofs.find((x) => x.attachments.some((a) => a.path === path));
    if (owner) return !owner.confidential;
    return false;
  }

  /** May the file itself be embedded? Public builds: public projects' evidence and public proofs with their attachments. */
  attachable(path: string): boolean {
    if (!this.fileVisible(path)) return false;
    if (!this.isPublic) return true;
    const e = this.evidence.get(path);
    if (e) return e.project !== null && this.input.facts.projects[e.project]?.public === true;
    const p = this.proofs.get(path);
    if (p) return p.public;
    return this.input.facts.proofs.some((x) => x.public && !x.confidential && x.attachments.some((a) => a.path === path));
  }

  owner(project: string | null): string | null {
    if (project === null || this.projectConfidential(project)) return null;
    return this.input.facts.projects[project]?.owner ?? null;
  }
}

export function productOf(input: PacketInput): ProductReport {
  const product = input.report.products.find((p) => p.name === input.product);
  if (!product) throw new Error(`pdf: the report has no product "${input.product}"`);
  return product;
}

export function frameworksOf(input: PacketInput, product: ProductReport): FrameworkReport[] {
  if (input.framework === 'all') return product.frameworks;
  const f = product.frameworks.find((x) => x.name === input.framework);
  if (!f) throw new Error(`pdf: product "${product.name}" has no framework "${input.framework}"`);
  return [f];
}

/** Does a control's requirement ref name this result's requirement? (refs may be written framework/requirement) */
export const refMatches = (ref: string, requirement: string) => ref === requirement || ref.endsWith(`/${requirement}`);

export function resultsFor(product: ProductReport, controls: ControlReport[]): RequirementResult[] {
  const refs = controls.flatMap((c) => c.requirements.map((r) => r.ref));
  return product.results.filter((r) => refs.some((ref) => refMatches(ref, r.requirement))).sort((a, b) => byText(a.requirement, b.requirement) || byText(a.project ?? '', b.project ?? ''));
}

/** Every file behind these results: evidence read, proof files and their attachments; what a public build may name. */
export function buildManifest(input: PacketInput, results: RequirementResult[], visibility: Visibility, kind: Manifest['kind']): Manifest {
  const files = new Map<string, ManifestFile>();
  const addEvidence = (path: string) => {
    if (files.has(path) || !visibility.fileVisible(path)) return;
    const e = visibility.evidenceFact(path);
    if (e) {
      files.set(path, { path, type: 'evidence', sha256: e.sha256, commit: e.commit?.sha ?? null });
      return;
    }
    const p = visibility.proofFact(path);
    if (p) {
      files.set(path, { path, type: 'proof', sha256: p.sha256, commit: p.commit?.sha ?? null });
      for (const a of p.attachments) if (a.sha256 && !files.has(a.path) && visibility.fileVisible(a.path)) files.set(a.path, { path: a.path, type: 'attachment', sha256: a.sha256, commit: null });
    }
  };
  for (const r of results)
    for (const part of r.parts) {
      for (const path of part.evidence) addEvidence(path);
      for (const path of part.evaluation?.evidence ?? []) addEvidence(path);
      if (part.proof) addEvidence(part.proof.file);
    }
  return {
    evidentPacket: 1,
    generator: { name: 'evident', version: input.report.generator.version },
    kind,
    organization: input.facts.organization ?? input.report.organization,
    product: input.product,
    framework: input.framework,
    public: input.public,
    now: input.report.now,
    commit: input.report.commit,
    files: [...files.values()].sort((a, b) => byText(a.path, b.path)),
  };
}

/** The attachments a packet embeds: files of its manifest that this build may carry. */
export function allowedAttachments(input: PacketInput, manifest: Manifest, visibility: Visibility): Attachment[] {
  const listed = new Set(manifest.files.map((f) => f.path));
  const seen = new Set<string>();
  return (input.attachments ?? []).filter((a) => {
    if (seen.has(a.path) || !listed.has(a.path) || !visibility.attachable(a.path)) return false;
    seen.add(a.path);
    return true;
  });
}

export function drawCover(layout: Layout, input: PacketInput, product: ProductReport, title: string, scopeLine: string, score: number | null): void {
  const { report, facts } = input;
  const org = facts.organization ?? report.organization;
  layout.gap(70);
  if (org) layout.paragraph([{ text: org, font: 'bold', color: colors.muted }], { size: 14, after: 18 });
  layout.paragraph([{ text: title, font: 'bold', color: colors.accent }], { size: 28, after: 10 });
  layout.paragraph([{ text: `${product.displayName}${product.version ? ` ${product.version}` : ''}`, font: 'bold' }], { size: 18, after: 4 });
  layout.paragraph([{ text: scopeLine, color: colors.muted }], { size: 12, after: 30 });
  layout.paragraph([{ text: 'Score  ', font: 'bold', color: colors.muted }, { text: formatScore(score), font: 'bold' }], { size: 20, after: 26 });
  const period = facts.auditPeriod;
  layout.facts(
    [
      ['Organization', org ?? '—'],
      ['Product', `${product.displayName} (${product.name})${product.version ? `, version ${product.version}` : ''}`],
      ['Scope', scopeLine],
      ['Audit period', period ? `${period.start} to ${period.end}` : 'not set (Config.spec.audit.period)'],
      ['Commit', report.commit ? [{ text: report.commit.sha, font: 'mono' }, { text: report.commit.dirty ? '  (with uncommitted changes)' : '' }] : 'none: the content is not in a git repository'],
      ['Commit date', report.commit ? formatTime(report.commit.date) : '—'],
      ['Evaluated at', formatTime(report.now)],
      ['Generated by', `evident ${report.generator.version}`],
      ['Edition', input.public ? 'Public: confidential names, hashes, violations and proof bodies are withheld' : 'Internal: complete'],
    ],
    { size: 10, labelWidth: 110 },
  );
  layout.gap(20);
  layout.paragraph(
    [
      {
        text: 'This packet embeds its evidence manifest (evident-manifest.json: the path, SHA-256 and commit of every file behind it). "evident verify <packet.pdf> --content <dir>" checks those files against a checkout of the content repository.',
        color: colors.muted,
      },
    ],
    { size: 8.5 },
  );
}

/** The manifest appendix: every file, its hash and commit; and how to verify. */
export function drawManifest(layout: Layout, manifest: Manifest, attachments: Attachment[], withheld: number): void {
  layout.paragraph(
    `The ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'} below are embedded as a JSON attachment named evident-manifest.json. Run "evident verify <packet.pdf> --content <content root>" on a checkout of the content repository to check every hash against the files on disk${manifest.commit ? ` and whether the commit ${manifest.commit.sha.slice(0, 12)} is present and is HEAD` : ' (this packet records no commit: the content was not in a git repository)'}.`,
  );
  if (withheld) layout.paragraph([{ text: `${withheld} file${withheld === 1 ? ' is' : 's are'} behind confidential projects or proofs and not listed in this public edition.`, font: 'italic', color: colors.muted }]);
  if (!manifest.files.length) {
    layout.paragraph([{ text: 'No evidence files are behind the results of this packet.', font: 'italic' }]);
    return;
  }
  const attached = new Set(attachments.map((a) => a.path));
  layout.table(
    [
      { header: 'File', width: 3.2 },
      { header: 'Type', width: 1 },
      { header: 'Commit', width: 1.4, font: 'mono', size: 7 },
      { header: 'SHA-256', width: 3, font: 'mono', size: 6.5 },
    ],
    manifest.files.map((f): Cell[] => [f.path + (attached.has(f.path) ? '  (attached)' : ''), f.type, f.commit ? f.commit.slice(0, 12) : '—', f.sha256]),
  );
}

/** Renders a proof body excerpt from Markdown, indented under its part. */
export function drawProofExcerpt(layout: Layout, body: string, indent: number, maxChars = 1500): void {
  const { blocks, cut } = markdownExcerpt(body, maxChars);
  for (const b of blocks) {
    const x = indent + b.indent * 12;
    if (b.kind === 'rule') {
      layout.ensure(8);
      layout.doc.save().moveTo(layout.left + x, layout.y + 3).lineTo(layout.left + layout.width, layout.y + 3).lineWidth(0.4).strokeColor(colors.rule).stroke().restore();
      layout.gap(8);
    } else if (b.kind === 'code') layout.paragraph(b.runs, { size: 7.5, font: 'mono', indent: x, preserveSpaces: true, fill: colors.zebra, after: 4 });
    else if (b.kind === 'heading') layout.paragraph(b.runs, { size: 9, font: 'bold', indent: x, after: 2 });
    else layout.paragraph(b.runs, { size: 8.5, indent: x, after: 3 });
  }
  if (cut) layout.paragraph([{ text: '… (excerpt; the full proof is in the content repository)', font: 'italic', color: colors.muted }], { size: 8, indent });
  if (!blocks.length) layout.paragraph([{ text: '(empty body)', font: 'italic', color: colors.muted }], { size: 8, indent });
}

export function countWithheld(input: PacketInput, results: RequirementResult[], visibility: Visibility): number {
  if (!input.public) return 0;
  const paths = new Set<string>();
  for (const r of results)
    for (const part of r.parts) {
      for (const p of [...part.evidence, ...(part.evaluation?.evidence ?? []), ...(part.proof ? [part.proof.file] : [])]) if (!visibility.fileVisible(p)) paths.add(p);
    }
  return paths.size;
}
