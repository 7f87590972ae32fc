// Report → the Statement of Applicability of one product: every Annex A control
// of ISO/IEC 27001:2022, whether it applies and why, its status and the
// requirements that implement it.
import type { ControlReport, FrameworkReport, ProductReport, Status } from '../evaluate/report-types.ts';
import { allowedAttachments, buildManifest, countWithheld, drawCover, drawManifest, formatScore, frameworksOf, productOf, resultsFor, statusRank, statusRun, Visibility } from './common.ts';
import { renderDocument, type SectionPlan } from './document.ts';
import { colors, type Cell, type Layout, type Run } from './layout.ts';
import { writeAll } from './packet.ts';
import type { PacketInput } from './types.ts';

export const soaFramework = 'iso27001-2022';

/** Renders the Statement of Applicability for `input.framework` (normally iso27001-2022) and ends `out`. */
export async function renderSoa(input: PacketInput, out: NodeJS.WritableStream): Promise<void> {
  await writeAll(out, await soaBytes(input));
}

export async function soaBytes(input: PacketInput): Promise<Buffer> {
  const product = productOf(input);
  const [framework] = frameworksOf(input, product);
  const results = resultsFor(product, framework.controls);
  const visibility = new Visibility(input);
  const manifest = buildManifest(input, results, visibility, 'soa');
  const attachments = allowedAttachments(input, manifest, visibility);
  const org = input.facts.organization ?? input.report.organization;
  const sha = input.report.commit?.sha ?? '';
  const groups = groupByTheme(framework.controls);
  const sections: SectionPlan[] = [{ id: 'summary', title: 'Summary', level: 1, render: (l) => drawSummary(l, product, framework) }];
  groups.forEach((g, i) => sections.push({ id: `theme-${i + 1}`, title: g.title, level: 1, render: (l) => drawTheme(l, g.controls) }));
  sections.push({ id: 'manifest', title: 'Appendix: evidence manifest', level: 1, render: (l) => drawManifest(l, manifest, attachments, countWithheld(input, results, visibility)) });
  return renderDocument({
    title: `Statement of Applicability: ${product.displayName} — ${framework.displayName}`,
    subject: `Statement of Applicability of ${product.displayName}${product.version ? ` ${product.version}` : ''} for ${framework.displayName}, evaluated at ${input.report.now}`,
    author: org,
    keywords: ['evident', 'statement of applicability', product.name, framework.name, ...(sha ? [sha] : [])],
    creationDate: new Date(input.now),
    info: { EvidentPacket: '1', EvidentKind: 'soa', EvidentProduct: product.name, EvidentFramework: framework.name, EvidentCommit: sha, EvidentNow: input.report.now },
    header: `${org ? `${org} · ` : ''}${product.displayName} · Statement of Applicability${input.public ? ' · public edition' : ''}`,
    footer: `evident statement of applicability · ${product.name} · ${framework.name}${sha ? ` · commit ${sha.slice(0, 12)}` : ''}`,
    cover: (layout) => drawCover(layout, input, product, 'Statement of Applicability', framework.displayName, framework.score),
    sections,
    manifest,
    attachments,
  });
}

function groupByTheme(controls: ControlReport[]): { title: string; controls: ControlReport[] }[] {
  const groups: { title: string; controls: ControlReport[] }[] = [];
  for (const c of controls) {
    const title = c.path[0] ?? 'Controls';
    let g = groups.find((x) => x.title === title);
    if (!g) groups.push((g = { title, controls: [] }));
    g.controls.push(c);
  }
  return groups;
}

function drawSummary(l: Layout, product: ProductReport, framework: FrameworkReport): void {
  const applicable = framework.controls.filter((c) => c.applicable);
  const excluded = framework.controls.filter((c) => !c.applicable);
  l.paragraph(`This statement lists every control of ${framework.displayName} for ${product.displayName}: whether it applies, the justification, its current status and the requirements through which it is implemented. A control is excluded only by an entry of the product's applicability matrix, whose rationale is the justification shown. Control names are short paraphrases, not the text of the standard.`);
  l.facts([
    ['Controls', String(framework.controls.length)],
    ['Applicable', String(applicable.length)],
    ['Not applicable', String(excluded.length)],
    ['Framework score', formatScore(framework.score)],
  ]);
  const byStatus = new Map<string, number>();
  for (const c of applicable) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  l.heading('Applicable controls by status', 3);
  l.table(
    [
      { header: 'Status', width: 2 },
      { header: 'Controls', width: 1 },
    ],
    [...byStatus.entries()].sort((a, b) => statusRank(a[0] as Status) - statusRank(b[0] as Status)).map(([s, n]): Cell[] => [[statusRun(s)], String(n)]),
  );
  if (excluded.length) {
    l.heading('Excluded controls', 3);
    l.table(
      [
        { header: 'Control', width: 1 },
        { header: 'Name', width: 3 },
        { header: 'Justification for exclusion', width: 4 },
      ],
      excluded.map((c): Cell[] => [c.id, c.name, c.rationale ?? '—']),
    );
  }
}

function drawTheme(l: Layout, controls: ControlReport[]): void {
  l.table(
    [
      { header: 'Control', width: 0.8 },
      { header: 'Name', width: 2.1 },
      { header: 'Applies', width: 0.9 },
      { header: 'Justification', width: 2.6 },
      { header: 'Status', width: 1.2 },
      { header: 'Requirements', width: 2.4 },
    ],
    controls.map((c): Cell[] => [
      c.id,
      c.name,
      [{ text: c.applicable ? 'Yes' : 'No', font: 'bold', color: c.applicable ? colors.text : colors.muted }],
      c.applicable ? `In scope; implemented through ${c.requirements.length} mapped requirement${c.requirements.length === 1 ? '' : 's'}. Addressed ${c.explanation.replace(`${c.id} `, '') || c.addressed}.` : (c.rationale ?? 'Excluded by the applicability matrix'),
      [statusRun(c.status)],
      requirementsCell(c),
    ]),
    { size: 7.5 },
  );
}

function requirementsCell(c: ControlReport): Run[] {
  if (!c.requirements.length) return [{ text: '—' }];
  const runs: Run[] = [];
  c.requirements.forEach((r, i) => {
    runs.push({ text: `${i ? '\n' : ''}${r.ref} (${r.relationship}${r.resolved ? '' : ', unresolved'}) ` });
    runs.push(statusRun(r.status));
  });
  return runs;
}
