// The writer at the edge of src/pdf: turns the Model into the plain facts the
// renderers read, renders every packet of every product, and writes the files
// (and, with attachEvidence, reads the evidence files it embeds).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../evaluate/report-types.ts';
import type { CommitInfo, Model } from '../model/types.ts';
import { buildManifest, productOf, resultsFor, Visibility } from './common.ts';
import { packetBytes } from './packet.ts';
import { soaBytes, soaFramework } from './soa.ts';
import type { Attachment, CommitFact, PacketFacts, PacketInput } from './types.ts';

export interface WritePacketsOptions {
  public?: boolean;
  /** Embed the evidence files (public builds: only those of public projects and proofs). */
  attachEvidence?: boolean;
  /** Where evidence files are read from for attachEvidence. */
  contentRoot?: string;
  /** Reads a content file for attaching; default: from contentRoot on disk. A file whose hash differs from the model's is not attached. */
  readContentFile?: (relative: string) => Promise<Uint8Array | undefined>;
  /** PDF creation time; default: the report's now. */
  now?: string;
  /** Only these products (default: all in the report). */
  products?: string[];
  /** Only these frameworks ('all' and 'soa' name the combined packet and the Statement of Applicability). */
  frameworks?: string[];
  warn?: (message: string) => void;
}

const commitFact = (c: CommitInfo | undefined): CommitFact | null => (c ? { sha: c.sha, date: c.date, signed: c.signature.signed, signer: c.signature.signer ?? null } : null);

/** The model facts packets show beside the Report. */
export function packetFacts(model: Model): PacketFacts {
  return {
    organization: model.config.organization ?? null,
    auditPeriod: model.config.audit?.period ?? null,
    evidence: model.evidence.map((e) => ({ path: e.path, project: e.project, kind: e.kind, size: e.size, sha256: e.sha256, timestamp: e.timestamp ?? null, commit: e.git.dirty ? null : commitFact(e.git.last) })),
    proofs: model.proofs.map((p) => ({
      file: p.file,
      requirement: p.requirement,
      proof: p.proof,
      project: p.project ?? null,
      product: p.product ?? null,
      date: p.date ?? null,
      result: p.result,
      public: p.public,
      confidential: p.confidential,
      body: p.body,
      title: p.title ?? null,
      sha256: p.sha256,
      commit: p.git.dirty ? null : commitFact(p.git.last),
      attachments: p.attachments.map((a) => ({ path: a.path, sha256: a.sha256 ?? null })),
    })),
    projects: Object.fromEntries(Object.entries(model.projects).map(([name, p]) => [name, { owner: p.owner ?? null, public: p.public, confidential: p.confidential }])),
    products: Object.fromEntries(
      Object.entries(model.products).map(([name, p]) => [
        name,
        {
          owner: p.owner ?? null,
          version: p.version ?? null,
          exceptions: p.exceptions.map((e) => ({ requirement: e.requirement, projects: e.projects ?? null, rationale: e.rationale ?? null, approvedBy: e.approvedBy ?? null, owner: e.owner ?? null, expires: e.expires ?? null, source: `${e.source.file}:${e.source.line}` })),
          overrides: p.overrides.map((o) => ({ requirement: o.requirement, projects: o.projects ?? null, status: o.status, rationale: o.rationale ?? null, by: o.by ?? null, date: o.date ?? null, source: `${o.source.file}:${o.source.line}` })),
        },
      ]),
    ),
    requirements: Object.fromEntries(
      Object.entries(model.requirements).map(([name, r]) => [
        name,
        {
          displayName: r.metadata.displayName ?? null,
          description: r.metadata.description ?? null,
          scope: r.scope,
          policies: r.policies.map((p) => ({ ref: p.ref, sla: p.sla ?? null, periodicity: p.periodicity?.text ?? null })),
          proofs: r.manualProofs.map((p) => ({ name: p.name, description: p.description ?? null, optional: p.optional, periodicity: p.periodicity?.text ?? null })),
        },
      ]),
    ),
  };
}

export interface PacketJob {
  file: string;
  kind: 'packet' | 'soa';
  product: string;
  framework: string;
}

/** The packets of a report: per product × framework, per product for all, and an SoA where iso27001-2022 is attached. */
export function packetJobs(report: Report, options: Pick<WritePacketsOptions, 'products' | 'frameworks'> = {}): PacketJob[] {
  const jobs: PacketJob[] = [];
  for (const p of report.products) {
    if (options.products && !options.products.includes(p.name)) continue;
    const wanted = (name: string) => !options.frameworks || options.frameworks.includes(name);
    for (const f of p.frameworks) if (wanted(f.name)) jobs.push({ file: `${p.name}--${f.name}.pdf`, kind: 'packet', product: p.name, framework: f.name });
    if (wanted('all')) jobs.push({ file: `${p.name}--all.pdf`, kind: 'packet', product: p.name, framework: 'all' });
    if (p.frameworks.some((f) => f.name === soaFramework) && (wanted('soa') || (options.frameworks?.includes(soaFramework) ?? false))) jobs.push({ file: `${p.name}--soa.pdf`, kind: 'soa', product: p.name, framework: soaFramework });
  }
  return jobs;
}

/** Renders and writes every packet into `outDir`; returns the paths written, in order. */
export async function writePackets(report: Report, model: Model, outDir: string, options: WritePacketsOptions = {}): Promise<string[]> {
  const facts = packetFacts(model);
  const files: string[] = [];
  await mkdir(outDir, { recursive: true });
  const cache = new Map<string, Uint8Array | undefined>();
  const read =
    options.readContentFile ??
    (async (relative: string) => {
      if (!options.contentRoot) return undefined;
      try {
        return await readFile(path.join(options.contentRoot, relative));
      } catch {
        return undefined;
      }
    });
  for (const job of packetJobs(report, options)) {
    const input: PacketInput = { report, product: job.product, framework: job.framework, facts, now: options.now ?? report.now, public: options.public ?? false };
    if (options.attachEvidence) input.attachments = await attachmentsFor(input, job, cache, read, options.warn);
    const bytes = job.kind === 'soa' ? await soaBytes(input) : await packetBytes(input);
    const target = path.join(outDir, job.file);
    await writeFile(target, bytes);
    files.push(target);
  }
  return files;
}

async function attachmentsFor(input: PacketInput, job: PacketJob, cache: Map<string, Uint8Array | undefined>, read: (relative: string) => Promise<Uint8Array | undefined>, warn?: (message: string) => void): Promise<Attachment[]> {
  const product = productOf(input);
  const frameworks = job.framework === 'all' ? product.frameworks : product.frameworks.filter((f) => f.name === job.framework);
  const results = job.framework === 'all' ? product.results : resultsFor(product, frameworks.flatMap((f) => f.controls));
  const visibility = new Visibility(input);
  const manifest = buildManifest(input, results, visibility, job.kind);
  const out: Attachment[] = [];
  for (const f of manifest.files) {
    if (!visibility.attachable(f.path)) continue;
    if (!cache.has(f.path)) {
      const bytes = await read(f.path);
      const ok = bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === f.sha256;
      if (!ok) warn?.(`${f.path}: not attached, the file ${bytes === undefined ? 'cannot be read' : 'differs from the evaluated content'}`);
      cache.set(f.path, ok ? bytes : undefined);
    }
    const bytes = cache.get(f.path);
    if (bytes) out.push({ path: f.path, bytes });
  }
  return out;
}
