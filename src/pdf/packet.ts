// Report → the audit packet of one product for one framework (or all of its
// frameworks): cover, contents, executive summary, control by control with the
// evidence and proofs behind each requirement result, exceptions register,
// overrides log, POA&M and the evidence manifest appendix.
import type { ControlReport, FrameworkReport, Part, ProductReport, RequirementResult, Status } from '../evaluate/report-types.ts';
import { statuses } from '../evaluate/report-types.ts';
import {
  allowedAttachments,
  buildManifest,
  byText,
  countWithheld,
  drawCover,
  drawManifest,
  drawProofExcerpt,
  formatDate,
  formatScore,
  formatTime,
  frameworksOf,
  productOf,
  refMatches,
  resultsFor,
  statusRank,
  statusRun,
  Visibility,
} from './common.ts';
import { renderDocument, type RenderContext, type SectionPlan } from './document.ts';
import { colors, statusColor, type Cell, type Layout, type Run } from './layout.ts';
import type { PacketInput } from './types.ts';

/** Renders the packet and writes it to `out`, which it ends. */
export async function renderPacket(input: PacketInput, out: NodeJS.WritableStream): Promise<void> {
  await writeAll(out, await packetBytes(input));
}

export async function packetBytes(input: PacketInput): Promise<Buffer> {
  const product = productOf(input);
  const frameworks = frameworksOf(input, product);
  const controls = frameworks.flatMap((f) => f.controls);
  const results = input.framework === 'all' ? [...product.results].sort((a, b) => byText(a.requirement, b.requirement) || byText(a.project ?? '', b.project ?? '')) : resultsFor(product, controls);
  const visibility = new Visibility(input);
  const manifest = buildManifest(input, results, visibility, 'packet');
  const attachments = allowedAttachments(input, manifest, visibility);
  const scope = input.framework === 'all' ? `All frameworks: ${frameworks.map((f) => f.displayName).join(', ') || 'none'}` : frameworks[0].displayName;
  const score = input.framework === 'all' ? product.score : frameworks[0].score;
  const org = input.facts.organization ?? input.report.organization;
  const sha = input.report.commit?.sha ?? '';
  return renderDocument({
    title: `Audit packet: ${product.displayName} — ${scope}`,
    subject: `Compliance evidence for ${product.displayName}${product.version ? ` ${product.version}` : ''}, ${scope}, evaluated at ${input.report.now}`,
    author: org,
    keywords: ['evident', 'audit packet', product.name, input.framework, ...(sha ? [sha] : [])],
    creationDate: new Date(input.now),
    info: { EvidentPacket: '1', EvidentKind: 'packet', EvidentProduct: product.name, EvidentFramework: input.framework, EvidentCommit: sha, EvidentNow: input.report.now },
    header: `${org ? `${org} · ` : ''}${product.displayName} · ${scope}${input.public ? ' · public edition' : ''}`,
    footer: `evident audit packet · ${product.name} · ${input.framework}${sha ? ` · commit ${sha.slice(0, 12)}` : ''}`,
    cover: (layout) => drawCover(layout, input, product, input.public ? 'Audit packet (public)' : 'Audit packet', scope, score),
    sections: sections(input, product, frameworks, results, visibility, manifest, attachments),
    manifest,
    attachments,
  });
}

function sections(input: PacketInput, product: ProductReport, frameworks: FrameworkReport[], results: RequirementResult[], vis: Visibility, manifest: ReturnType<typeof buildManifest>, attachments: ReturnType<typeof allowedAttachments>): SectionPlan[] {
  const all = input.framework === 'all';
  const detailed = new Set<string>();
  const out: SectionPlan[] = [{ id: 'summary', title: 'Executive summary', level: 1, render: (l) => drawSummary(l, input, product, frameworks, results, vis) }];
  for (const f of frameworks) {
    out.push({ id: `controls-${f.name}`, title: all ? `Controls: ${f.displayName}` : 'Controls', level: 1, render: (l) => l.paragraph(`${f.controls.length} control${f.controls.length === 1 ? '' : 's'} of ${f.displayName} (${f.name}), each with its status, how completely it is addressed, its requirements and the results, evidence and proofs behind them. Framework score ${formatScore(f.score)}.`) });
    for (const c of f.controls)
      out.push({ id: `control-${f.name}-${c.id}`, title: `${c.id} — ${c.name}`, level: 2, render: (l, ctx) => drawControl(l, ctx, input, product, f, c, vis, detailed) });
  }
  out.push({ id: 'exceptions', title: 'Exceptions register', level: 1, render: (l) => drawExceptions(l, input, product, results, vis) });
  out.push({ id: 'overrides', title: 'Overrides log', level: 1, render: (l) => drawOverrides(l, input, product, results, vis) });
  out.push({ id: 'poam', title: 'Plan of action and milestones (POA&M)', level: 1, render: (l) => drawPoam(l, input, product, frameworks, results, vis) });
  out.push({ id: 'manifest', title: 'Appendix: evidence manifest', level: 1, render: (l) => drawManifest(l, manifest, attachments, countWithheld(input, results, vis)) });
  return out;
}

function countControls(frameworks: FrameworkReport[]): Record<Status, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>;
  for (const f of frameworks) for (const c of f.controls) counts[c.status]++;
  return counts;
}

function drawSummary(l: Layout, input: PacketInput, product: ProductReport, frameworks: FrameworkReport[], results: RequirementResult[], vis: Visibility): void {
  const all = input.framework === 'all';
  const counts = all ? product.counts : frameworks[0].counts;
  const score = all ? product.score : frameworks[0].score;
  const controlCounts = countControls(frameworks);
  const counted = statuses.filter((s) => s !== 'INACTIVE' && s !== 'NOT_APPLICABLE' && s !== 'EXCEPTION').reduce((n, s) => n + counts[s], 0);
  l.facts([
    ['Score', [{ text: formatScore(score), font: 'bold' }, { text: `  (PASSED + GRACE over ${counted} counted result${counted === 1 ? '' : 's'}; EXCEPTION, NOT_APPLICABLE and INACTIVE are not counted)`, color: colors.muted }]],
    ['Controls', `${frameworks.reduce((n, f) => n + f.controls.length, 0)} in ${frameworks.length} framework${frameworks.length === 1 ? '' : 's'}`],
    ['Requirement results', `${results.length} (one per requirement and project, or per requirement for the product)`],
    ['Projects', product.projects.length ? product.projects.map((p) => vis.projectLabel(p)).join(', ') : 'none'],
    ['Product owner', product.owner ?? input.facts.products[product.name]?.owner ?? '—'],
  ]);
  l.heading('Results and controls by status', 3);
  l.table(
    [
      { header: 'Status', width: 2 },
      { header: 'Requirement results', width: 1.5 },
      { header: 'Controls', width: 1.5 },
    ],
    statuses.map((s): Cell[] => [[statusRun(s)], String(counts[s]), String(controlCounts[s])]),
    { size: 8.5 },
  );
  if (all && frameworks.length) {
    l.heading('Frameworks', 3);
    l.table(
      [
        { header: 'Framework', width: 3 },
        { header: 'Score', width: 1 },
        { header: 'Controls', width: 1 },
        { header: 'FAILED', width: 1 },
        { header: 'MISSING', width: 1 },
        { header: 'PASSED', width: 1 },
      ],
      frameworks.map((f): Cell[] => [`${f.displayName} (${f.name})`, formatScore(f.score), String(f.controls.length), String(f.controls.filter((c) => c.status === 'FAILED').length), String(f.controls.filter((c) => c.status === 'MISSING').length), String(f.controls.filter((c) => c.status === 'PASSED' || c.status === 'GRACE').length)]),
    );
  }
  const list = (title: string, wanted: Status[], empty: string) => {
    l.heading(title, 3);
    const rows = frameworks.flatMap((f) => f.controls.filter((c) => wanted.includes(c.status)).map((c) => ({ f, c })));
    rows.sort((a, b) => statusRank(a.c.status) - statusRank(b.c.status));
    if (!rows.length) return l.paragraph([{ text: empty, font: 'italic' }]);
    l.table(
      [...(all ? [{ header: 'Framework', width: 1.3 }] : []), { header: 'Control', width: 1 }, { header: 'Name', width: 3.2 }, { header: 'Status', width: 1.2 }, { header: 'Addressed', width: 2.5 }],
      rows.map(({ f, c }): Cell[] => [...(all ? [f.name] : []), c.id, c.name, [statusRun(c.status)], c.explanation]),
    );
  };
  list('Controls that fail', ['FAILED'], 'No control fails.');
  list('Controls without current evidence', ['MISSING', 'EXPIRED'], 'Every control has current evidence.');
}

function drawControl(l: Layout, ctx: RenderContext, input: PacketInput, product: ProductReport, framework: FrameworkReport, control: ControlReport, vis: Visibility, detailed: Set<string>): void {
  const rows: [string, Cell][] = [
    ['Status', [statusRun(control.status), { text: control.score === null ? '' : `   score ${formatScore(control.score)}`, color: colors.muted }]],
    ['Addressed', control.explanation || control.addressed],
  ];
  if (control.path.length) rows.push(['Section', control.path.join(' › ')]);
  if (control.tags.length) rows.push(['Tags', control.tags.join(', ')]);
  if (!control.applicable) rows.push(['Applicability', `Not applicable in ${framework.name}${control.rationale ? `: ${control.rationale}` : ''}`]);
  l.facts(rows, { labelWidth: 90 });
  if (!control.requirements.length) {
    l.paragraph([{ text: 'This control lists no requirements.', font: 'italic' }]);
    return;
  }
  l.table(
    [
      { header: 'Requirement', width: 2.4 },
      { header: 'Relationship', width: 1.1 },
      { header: 'Status', width: 1.3 },
      { header: 'Rationale', width: 3.6 },
    ],
    control.requirements.map((r): Cell[] => [r.ref + (r.resolved ? '' : ' (unresolved)'), r.relationship, [statusRun(r.status)], r.rationale ?? '—']),
  );
  for (const ref of control.requirements) {
    const fact = input.facts.requirements[ref.ref] ?? input.facts.requirements[ref.ref.split('/').pop()!];
    l.heading(`Requirement ${ref.ref}${fact?.displayName ? ` — ${fact.displayName}` : ''}`, 4, { keep: 50 });
    if (!ref.resolved) {
      l.paragraph([statusRun('MISSING'), { text: `  The requirement "${ref.ref}" does not resolve to a Requirement resource, so this mapping has no results.` }]);
      continue;
    }
    // Descriptions are Markdown (SPEC section 1): rendered as text runs, never as raw markup.
    if (fact?.description) drawProofExcerpt(l, fact.description, 0, 600);
    const results = product.results.filter((r) => refMatches(ref.ref, r.requirement)).sort((a, b) => byText(a.project ?? '', b.project ?? ''));
    if (!results.length) {
      l.paragraph([{ text: 'No results for this product.', font: 'italic' }]);
      continue;
    }
    l.table(
      [
        { header: 'Project', width: 1.4 },
        { header: 'Status', width: 1.6 },
        { header: 'Parts', width: 3.1 },
        { header: 'Notes', width: 2.8 },
      ],
      results.map((r): Cell[] => [vis.projectLabel(r.project), [statusRun(r.status)], partsCell(r, vis), resultNotes(r)]),
    );
    const key = results[0].requirement;
    if (detailed.has(key)) {
      const page = ctx.pageOf(`req-${key}`);
      l.paragraph([{ text: `Parts, evidence and proofs of ${key} are shown under its first control${page ? ` (page ${page})` : ''}.`, font: 'italic', color: colors.muted }], { size: 8.5 });
      continue;
    }
    detailed.add(key);
    ctx.anchor(`req-${key}`);
    drawDetails(l, input, results, vis);
  }
}

function partsCell(r: RequirementResult, vis: Visibility): Run[] {
  if (!r.parts.length) return [{ text: '—' }];
  const runs: Run[] = [];
  r.parts.forEach((p, i) => {
    if (i) runs.push({ text: ', ' });
    runs.push({ text: `${partName(p, vis)}${p.optional ? ' (optional)' : ''} ` });
    runs.push(statusRun(p.status));
  });
  return runs;
}

function partName(p: Part, vis: Visibility): string {
  if (p.type === 'proof' && p.proof && vis.proofConfidential(p.proof.file)) return 'confidential proof';
  return p.type === 'policy' ? p.name : `proof ${p.name}`;
}

function resultNotes(r: RequirementResult): string {
  const notes: string[] = [];
  if (r.override) notes.push(`Overridden to ${r.override.status}${r.override.by ? ` by ${r.override.by}` : ''}${r.override.date ? ` on ${r.override.date}` : ''}${r.override.rationale ? `: ${r.override.rationale}` : ''}`);
  if (r.exception) notes.push(`Exception${r.underlying ? ` (underlying ${r.underlying})` : ''}${r.exception.approvedBy ? `, approved by ${r.exception.approvedBy}` : ''}${r.exception.expires ? `, expires ${r.exception.expires}` : ''}${r.exception.rationale ? `: ${r.exception.rationale}` : ''}`);
  else if (r.underlying) notes.push(`Underlying ${r.underlying}`);
  if (r.status === 'NOT_APPLICABLE' && r.rationale) notes.push(`Not applicable: ${r.rationale}`);
  if (r.status === 'INACTIVE') notes.push('Requirement inactive');
  return notes.join('. ') || '—';
}

function drawDetails(l: Layout, input: PacketInput, results: RequirementResult[], vis: Visibility): void {
  // each part, why it has its status
  for (const r of results) {
    for (const p of r.parts) {
      const project = p.project ?? r.project;
      const runs: Run[] = [{ text: `${vis.projectLabel(r.project)}${r.project === null && p.project ? ` (worst from ${vis.projectLabel(p.project)})` : ''} · ${partName(p, vis)}${p.match ? ` (${p.match} match)` : ''}${p.optional ? ' (optional)' : ''}: `, font: 'bold' }, statusRun(p.status)];
      const confidentialProof = p.type === 'proof' && p.proof !== null && vis.proofConfidential(p.proof.file);
      if (!confidentialProof && (vis.showDetails(project) || (p.type === 'proof' && p.proof && vis.proofBodyVisible(p.proof.file)))) runs.push({ text: ` — ${p.message}` });
      else if (!confidentialProof) runs.push({ text: ` — ${neutralMessage(p, vis)}`, color: colors.muted });
      if (p.status === 'GRACE' && p.graceUntil) runs.push({ text: ` Within its SLA until ${formatTime(p.graceUntil)}.` });
      if (p.status === 'PASSED' && p.expires) runs.push({ text: ` Fresh until ${formatTime(p.expires)}.`, color: colors.muted });
      l.paragraph(runs, { size: 8.5, after: 2 });
      const violations = p.evaluation?.violations ?? [];
      if (violations.length && vis.showDetails(project)) {
        for (const v of violations.slice(0, 15)) l.paragraph([{ text: `• ${v}` }], { size: 8, indent: 14, after: 1 });
        if (violations.length > 15) l.paragraph([{ text: `… and ${violations.length - 15} more violation${violations.length - 15 === 1 ? '' : 's'}`, font: 'italic' }], { size: 8, indent: 14, after: 1 });
      } else if (violations.length) l.paragraph([{ text: `${violations.length} violation${violations.length === 1 ? '' : 's'} (not shown in the public edition)`, font: 'italic', color: colors.muted }], { size: 8, indent: 14, after: 1 });
    }
  }
  l.gap(4);
  // the evidence behind the parts
  const rows: Cell[][] = [];
  const seen = new Set<string>();
  let withheld = 0;
  for (const r of results)
    for (const p of r.parts) {
      const paths = [...p.evidence, ...(p.evaluation?.evidence ?? []), ...(p.proof ? [p.proof.file] : [])];
      for (const path of paths) {
        const key = `${r.project}\u0000${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!vis.fileVisible(path)) {
          withheld++;
          continue;
        }
        const e = vis.evidenceFact(path);
        const proof = vis.proofFact(path);
        const commit = e?.commit ?? proof?.commit ?? null;
        const when = e ? e.timestamp : proof ? proof.date : null;
        rows.push([vis.projectLabel(r.project), [{ text: path, font: 'mono' }, { text: `\n${e ? e.kind : proof ? 'proof' : 'file'}`, color: colors.muted }], formatTime(when), commit ? [{ text: commit.sha.slice(0, 12), font: 'mono' }, { text: `\n${formatTime(commit.date)}`, color: colors.muted }] : '—', commit ? (commit.signed ? (commit.signer ?? 'signed') : 'unsigned') : '—', e?.sha256 ?? proof?.sha256 ?? '—']);
      }
    }
  if (rows.length) {
    l.table(
      [
        { header: 'Project', width: 1.1 },
        { header: 'File and kind', width: 2.6, size: 7 },
        { header: 'Timestamp', width: 1.4 },
        { header: 'Commit', width: 1.4 },
        { header: 'Signer', width: 1.2 },
        { header: 'SHA-256', width: 2.1, font: 'mono', size: 6.5 },
      ],
      rows,
      { size: 7.5 },
    );
  } else if (!withheld) l.paragraph([{ text: 'No evidence files are behind these results.', font: 'italic', color: colors.muted }], { size: 8.5 });
  if (withheld) l.paragraph([{ text: `${withheld} file${withheld === 1 ? '' : 's'} of confidential projects or proofs not listed in the public edition.`, font: 'italic', color: colors.muted }], { size: 8.5 });
  // proof bodies
  const proofs = new Set<string>();
  for (const r of results)
    for (const p of r.parts) {
      if (p.type !== 'proof' || !p.proof || proofs.has(p.proof.file)) continue;
      proofs.add(p.proof.file);
      if (vis.proofConfidential(p.proof.file)) continue;
      const fact = vis.proofFact(p.proof.file);
      l.paragraph([{ text: `Proof ${p.proof.file}`, font: 'bold' }, { text: ` — ${p.name}, ${formatDate(p.proof.date)}, result ${p.proof.result}, ${p.proof.scope}-level`, color: colors.muted }], { size: 8.5, after: 2 });
      if (fact && vis.proofBodyVisible(p.proof.file)) drawProofExcerpt(l, fact.body, 12);
      else l.paragraph([{ text: 'The body of this proof is not shown in the public edition.', font: 'italic', color: colors.muted }], { size: 8, indent: 12 });
    }
}

/** What a public build says about a part it may not explain: the evidence kinds and dates. */
function neutralMessage(p: Part, vis: Visibility): string {
  const kinds = [...new Set(p.evidence.map((path) => vis.evidenceFact(path)?.kind ?? (vis.proofFact(path) ? 'proof' : 'file')))].sort(byText);
  const date = p.evaluation?.timestamp ?? p.proof?.date ?? null;
  if (!kinds.length) return 'no evidence';
  return `${kinds.join(', ')} evidence${date ? ` of ${formatTime(date)}` : ''}`;
}

function scopedRequirement(results: RequirementResult[], requirement: string): boolean {
  return results.some((r) => r.requirement === requirement || refMatches(requirement, r.requirement));
}

function projectsLabel(projects: string[] | null, vis: Visibility): string {
  return projects === null ? 'the product and all its projects' : projects.map((p) => vis.projectLabel(p)).join(', ');
}

function drawExceptions(l: Layout, input: PacketInput, product: ProductReport, results: RequirementResult[], vis: Visibility): void {
  const entries = (input.facts.products[product.name]?.exceptions ?? []).filter((e) => scopedRequirement(results, e.requirement)).sort((a, b) => byText(a.requirement, b.requirement) || byText(a.source, b.source));
  l.paragraph('Exceptions accept a requirement that is not met, for a time: a result with an unexpired exception counts as EXCEPTION, whatever its underlying status, and is left out of the score. An exception applies through the end of its expiry day (UTC).');
  if (!entries.length) return l.paragraph([{ text: 'No exceptions are recorded for the requirements of this packet.', font: 'italic' }]);
  const now = new Date(input.report.now).getTime();
  l.table(
    [
      { header: 'Requirement', width: 1.6 },
      { header: 'Applies to', width: 1.3 },
      { header: 'Rationale', width: 2.4 },
      { header: 'Approved by and owner', width: 2.4 },
      { header: 'Expires', width: 1.3 },
      { header: 'Results covered', width: 1.7 },
    ],
    entries.map((e): Cell[] => {
      const active = !e.expires || now < new Date(`${e.expires}T00:00:00Z`).getTime() + 86_400_000;
      const covered = results.filter((r) => r.exception?.source === e.source && r.requirement === (results.find((x) => refMatches(e.requirement, x.requirement))?.requirement ?? e.requirement));
      return [
        e.requirement,
        projectsLabel(e.projects, vis),
        e.rationale ?? '—',
        [{ text: e.approvedBy ?? '—' }, { text: `\nowner ${e.owner ?? '—'}`, color: colors.muted }],
        [{ text: e.expires ?? 'never' }, { text: active ? '\nactive' : '\nexpired', font: 'bold', color: active ? colors.text : statusColor.FAILED }],
        covered.length ? covered.map((r) => `${vis.projectLabel(r.project)}: underlying ${r.underlying ?? '—'}`).join('\n') : '—',
      ];
    }),
  );
}

function drawOverrides(l: Layout, input: PacketInput, product: ProductReport, results: RequirementResult[], vis: Visibility): void {
  const entries = (input.facts.products[product.name]?.overrides ?? []).filter((e) => scopedRequirement(results, e.requirement)).sort((a, b) => byText(a.date ?? '', b.date ?? '') || byText(a.requirement, b.requirement) || byText(a.source, b.source));
  l.paragraph('An override sets a result to PASSED or FAILED by a person\'s judgement instead of from evidence; it is marked as overridden wherever the result is shown.');
  if (!entries.length) return l.paragraph([{ text: 'No overrides are recorded for the requirements of this packet.', font: 'italic' }]);
  l.table(
    [
      { header: 'Date', width: 1.1 },
      { header: 'Requirement', width: 1.6 },
      { header: 'Applies to', width: 1.3 },
      { header: 'Status', width: 1 },
      { header: 'By', width: 2.2 },
      { header: 'Rationale', width: 2.8 },
    ],
    entries.map((e): Cell[] => [e.date ?? '—', e.requirement, projectsLabel(e.projects, vis), [statusRun(e.status)], e.by ?? '—', e.rationale ?? '—']),
  );
}

interface PoamItem {
  result: RequirementResult;
  status: Status;
  weakness: string;
  controls: string;
  owner: string;
  due: string;
  dueSort: string;
}

const open: Status[] = ['FAILED', 'MISSING', 'EXPIRED', 'GRACE'];

export function poamItems(input: PacketInput, product: ProductReport, frameworks: FrameworkReport[], results: RequirementResult[], vis: Visibility): PoamItem[] {
  const all = input.framework === 'all';
  const items: PoamItem[] = [];
  for (const r of results) {
    const underlying = r.status === 'EXCEPTION' ? r.underlying : r.status;
    if (!underlying || !open.includes(underlying)) continue;
    const project = r.project;
    const failing = r.parts.filter((p) => !p.optional && p.status !== 'PASSED');
    const weakness = r.overridden && r.override
      ? `Overridden to ${r.override.status}${r.override.rationale ? `: ${r.override.rationale}` : ''}`
      : failing.map((p) => `${partName(p, vis)} ${p.status}${vis.showDetails(p.project ?? project) && !(p.type === 'proof' && p.proof && vis.proofConfidential(p.proof.file)) ? `: ${p.message}` : ''}`).join('; ') || (r.parts.length ? 'parts not met' : 'no policies or proofs');
    const controls = frameworks.flatMap((f) => f.controls.filter((c) => c.requirements.some((q) => refMatches(q.ref, r.requirement))).map((c) => (all ? `${f.name} ${c.id}` : c.id)));
    const exceptionOwner = r.status === 'EXCEPTION' ? (r.exception?.owner ?? null) : null;
    const owner = (vis.projectConfidential(project) ? null : exceptionOwner) ?? vis.owner(project) ?? product.owner ?? input.facts.products[product.name]?.owner ?? null;
    const due = dueOf(input, r);
    items.push({ result: r, status: r.status, weakness, controls: controls.join(', ') || '—', owner: owner ?? (vis.projectConfidential(project) ? 'withheld' : 'unassigned'), due: due.text, dueSort: due.sort });
  }
  items.sort((a, b) => statusRank(a.status) - statusRank(b.status) || byText(a.dueSort, b.dueSort) || byText(a.result.requirement, b.result.requirement) || byText(a.result.project ?? '', b.result.project ?? ''));
  return items;
}

/** The date a weakness must be fixed by: SLA, remediation policy, exception expiry or evidence expiry. */
function dueOf(input: PacketInput, r: RequirementResult): { text: string; sort: string } {
  const far = '9999';
  if (r.status === 'EXCEPTION') return r.exception?.expires ? { text: `${r.exception.expires} (exception expires)`, sort: r.exception.expires } : { text: 'exception has no expiry', sort: far };
  if (r.overridden) return { text: 'immediately (overridden to FAILED)', sort: '0000' };
  const parts = r.parts.filter((p) => !p.optional);
  if (r.status === 'GRACE') {
    const until = parts.map((p) => p.graceUntil).filter((x): x is string => !!x).sort(byText)[0];
    return until ? { text: `${formatTime(until)} (end of SLA)`, sort: until } : { text: 'within SLA', sort: far };
  }
  if (r.status === 'FAILED') {
    const fact = input.facts.requirements[r.requirement];
    const dues: string[] = [];
    let remediation = false;
    for (const p of parts.filter((x) => x.status === 'FAILED')) {
      if (p.type === 'policy' && /remediation-sla/.test(p.name)) remediation = true;
      const sla = fact?.policies.find((x) => x.ref === p.name)?.sla;
      if (p.type === 'policy' && sla && p.evaluation?.firstFailure) dues.push(new Date(new Date(p.evaluation.firstFailure).getTime() + sla * 3_600_000).toISOString());
    }
    dues.sort(byText);
    if (dues.length) return { text: `${formatTime(dues[0])} (SLA ended; overdue)`, sort: dues[0] };
    if (remediation) return { text: 'overdue (remediation SLA exceeded)', sort: '0000' };
    return { text: 'immediately (no SLA set)', sort: '0000' };
  }
  if (r.status === 'EXPIRED') {
    const expired = parts.map((p) => (p.status === 'EXPIRED' ? p.expires : null)).filter((x): x is string => !!x).sort(byText)[0];
    return expired ? { text: `${formatTime(expired)} (evidence expired; overdue)`, sort: expired } : { text: 'overdue (evidence expired)', sort: '0000' };
  }
  return { text: 'none set (evidence missing)', sort: far };
}

function drawPoam(l: Layout, input: PacketInput, product: ProductReport, frameworks: FrameworkReport[], results: RequirementResult[], vis: Visibility): void {
  const items = poamItems(input, product, frameworks, results, vis);
  l.paragraph('Every result that is FAILED, MISSING, EXPIRED or in GRACE, and every exception over such a result, with its owner (the exception owner, else the project owner, else the product owner) and its due date (the end of the SLA of a failing policy, the expiry of an exception, or the expiry of the evidence; none for evidence that was never provided).');
  if (!items.length) return l.paragraph([{ text: 'No open items.', font: 'italic' }]);
  l.table(
    [
      { header: 'Item', width: 0.8 },
      { header: 'Requirement', width: 1.6 },
      { header: 'Project', width: 1.1 },
      { header: 'Status', width: 1.5 },
      { header: 'Weakness', width: 3.4 },
      { header: 'Controls', width: 1.2 },
      { header: 'Owner and due date', width: 2.6 },
    ],
    items.map((it, i): Cell[] => [`P-${String(i + 1).padStart(3, '0')}`, it.result.requirement, vis.projectLabel(it.result.project), [statusRun(it.status), ...(it.status === 'EXCEPTION' && it.result.underlying ? [{ text: `\nunderlying ${it.result.underlying}` }] : [])], truncate(it.weakness, 700), it.controls, [{ text: it.owner }, { text: `\ndue ${it.due}`, color: colors.muted }]]),
    { size: 7.5 },
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function writeAll(out: NodeJS.WritableStream, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(bytes, () => resolve());
  });
}
