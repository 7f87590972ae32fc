// The portal's most repeated markup as plain strings: status badges, project
// links, scores, and the tables and result sections of control and requirement
// pages (nine in ten pages at M). As Astro components, each badge or link was
// a component instance (props, a render queue, a result to flatten) and those
// pages carried dozens to hundreds of them; here one page's tables are one
// string, given to Astro with set:html. Every text from the view model goes
// through esc() (Astro's own escaping: & < > ' "). Pure; hrefs are
// site-relative in the view model and joined with the base path here.
import type { Status } from '../evaluate/report-types.ts';
import { formatDate, formatDateTime, formatScore, shortSha, statusLabels, withBase } from './format.ts';
import type { ControlPage, EvidenceView, PartView, ProjectRef, ProofView, RequirementPage, ResultView } from './view-model.ts';

const ESCAPABLE = /[&<>'"]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/** Text or an attribute value as HTML. */
export function esc(value: string | number): string {
  const s = String(value);
  ESCAPABLE.lastIndex = 0;
  return ESCAPABLE.test(s) ? s.replace(ESCAPABLE, (c) => ENTITIES[c]!) : s;
}

const badges = new Map<string, string>();

/**
 * A status as icon + name + colour, never colour alone. The icon is a <use> of
 * the page's StatusIcons (Base); width and height hold it when CSS is missing.
 * `label`: the friendlier label beside the name.
 */
export function statusBadge(status: Status, label = false): string {
  const key = label ? `${status}+` : status;
  let html = badges.get(key);
  if (html === undefined) {
    const slug = status.toLowerCase().replace('_', '-');
    html = `<span class="status status-${slug}"><svg class="icon" aria-hidden="true" width="16" height="16"><use href="#i-${slug}"></use></svg>${esc(status)}${label ? `<span class="status-label"> — ${esc(statusLabels[status])}</span>` : ''}</span>`;
    badges.set(key, html);
  }
  return html;
}

/** A link to a project's page (or its name when it has none); `none` for a PRODUCT-scoped result. */
export function projectLink(base: string, project: ProjectRef | null, none = 'product'): string {
  if (project === null) return `<span class="muted">${esc(none)}</span>`;
  return project.href ? `<a href="${esc(withBase(base, project.href))}">${esc(project.name)}</a>` : `<span>${esc(project.name)}</span>`;
}

/** A score as text ("45 %", or "n/a" when nothing counted) with a bar beside it. */
export function scoreHtml(score: number | null, large = false): string {
  const width = score === null ? 0 : Math.round(score * 100);
  const cls = `score${large ? ' score-large' : ''}${score === null ? ' score-na' : ''}`;
  return `<span class="${cls}"><span class="bar" aria-hidden="true"><span class="fill" style="width: ${width}%"></span></span><span class="score-text">${esc(formatScore(score))}</span></span>`;
}

/** Engine sentences mark names with backticks ("only `signed-releases` (intersects) passes"): shown as code. */
export function explained(text: string): string {
  return text
    .split('`')
    .map((p, i) => (i % 2 === 1 ? `<code>${esc(p)}</code>` : esc(p)))
    .join('');
}

/** A table that scrolls sideways on a phone; keyboard-focusable so the scroll is reachable. */
function tableWrap(label: string, table: string): string {
  return `<div class="table-wrap" role="region" aria-label="${esc(label)}" tabindex="0">${table}</div>`;
}

function time(iso: string | null, text: string): string {
  return iso === null ? `<time>${esc(text)}</time>` : `<time datetime="${esc(iso)}">${esc(text)}</time>`;
}

// ---------------------------------------------------------------- control pages

/** The requirements of a control with their status and the result per project. */
export function controlRequirements(base: string, page: ControlPage): string {
  if (page.requirements.length === 0) return '<p>No requirement is mapped to this control.</p>';
  let rows = '';
  for (const r of page.requirements) {
    rows += '<tr><th scope="row">';
    rows += r.href ? `<a href="${esc(withBase(base, r.href))}">${esc(r.name)}</a>` : `<span>${esc(r.name)}</span>`;
    if (r.name !== r.ref) rows += ` <code>${esc(r.ref)}</code>`;
    if (!r.resolved) rows += '<p class="muted">Not defined: the framework names a requirement that does not exist.</p>';
    if (r.rationale) rows += `<p class="muted">${esc(r.rationale)}</p>`;
    rows += `</th><td>${esc(r.relationship)}</td><td>${statusBadge(r.status)}</td><td>`;
    if (r.results.length === 0) rows += '<span class="muted">no results</span>';
    else {
      rows += '<ul class="project-results">';
      for (const x of r.results) rows += `<li>${projectLink(base, x.project)} ${statusBadge(x.status)}</li>`;
      rows += '</ul>';
    }
    rows += '</td></tr>';
  }
  return tableWrap(
    'Requirements of this control',
    `<table><caption class="visually-hidden">Requirements mapped to ${esc(page.id)}, with the result per project</caption><thead><tr><th scope="col">Requirement</th><th scope="col">Relationship</th><th scope="col">Status</th><th scope="col">Per project</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/**
 * Controls of the product's other frameworks that share a requirement, grouped
 * by framework (its name once, as the group's header, not on every row): the
 * control with its name and status, the strength, and which requirements it
 * shares with which relationship on either side.
 */
export function relatedControls(base: string, page: ControlPage): string {
  if (page.related.length === 0) return `<p>No control of this product's other frameworks shares a requirement with ${esc(page.id)}.</p>`;
  let groups = '';
  let framework: string | null = null;
  for (const c of page.related) {
    if (c.framework !== framework) {
      if (framework !== null) groups += '</tbody>';
      framework = c.framework;
      groups += `<tbody><tr><th scope="rowgroup" colspan="4" class="group">${esc(c.frameworkName)}</th></tr>`;
    }
    groups += `<tr><th scope="row"><a href="${esc(withBase(base, c.href))}">${esc(c.control)}</a>${c.name !== c.control ? ` <span class="muted">${esc(c.name)}</span>` : ''}</th><td>${esc(c.strength)}</td><td>`;
    groups += c.via.map((v) => `<code>${esc(v.requirement)}</code> (${esc(v.from)} / ${esc(v.to)})`).join(', ');
    groups += `</td><td>${c.status ? statusBadge(c.status) : '—'}</td></tr>`;
  }
  groups += '</tbody>';
  return tableWrap(
    'Mapped controls',
    `<table class="related"><caption class="visually-hidden">Controls of other frameworks that share a requirement with ${esc(page.id)}, by framework</caption><thead><tr><th scope="col">Control</th><th scope="col">Strength</th><th scope="col">Shared requirements</th><th scope="col">Status</th></tr></thead>${groups}</table>`,
  );
}

// ---------------------------------------------------------------- requirement pages

/** The policies and manual proofs a requirement consists of. */
export function requirementParts(page: RequirementPage): string {
  if (page.policies.length === 0 && page.proofs.length === 0) return '<p>No parts: a requirement without parts is MISSING.</p>';
  let rows = '';
  for (const p of page.policies) rows += `<tr><th scope="row"><code>${esc(p.ref)}</code></th><td>policy</td><td><code>${esc(p.with)}</code></td><td>${esc(p.periodicity ?? 'never expires')}</td><td>${p.sla === null ? '—' : `${esc(p.sla)} h`}</td></tr>`;
  for (const p of page.proofs) rows += `<tr><th scope="row"><code>${esc(p.name)}</code></th><td>manual proof${p.optional ? ' (optional)' : ''}</td><td>${esc(p.description ?? '—')}</td><td>${esc(p.periodicity ?? 'never expires')}</td><td>—</td></tr>`;
  return tableWrap(
    'Parts of the requirement',
    `<table><caption class="visually-hidden">Policies and manual proofs of ${esc(page.name)}</caption><thead><tr><th scope="col">Part</th><th scope="col">Kind</th><th scope="col">Parameters or description</th><th scope="col">Periodicity</th><th scope="col">SLA</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** Static coverage: which contract entries of each project run the requirement's policies. */
export function requirementCoverage(base: string, page: RequirementPage): string {
  if (page.coverage.length === 0) return '<p class="muted">No projects to cover.</p>';
  let rows = '';
  for (const c of page.coverage) {
    rows += `<tr><th scope="row">${projectLink(base, c.project)}</th><td>${c.policies.length === 0 ? '<span class="muted">— (no policies)</span>' : esc(c.coverage)}</td><td>`;
    if (c.policies.length === 0) rows += '<span class="muted">no policies</span>';
    else {
      rows += '<ul class="plain">';
      for (const p of c.policies) {
        rows += `<li><code>${esc(p.policy)}</code>: ${p.match ? `matched (${esc(p.match)})` : 'not matched'}`;
        for (const m of p.mismatches) rows += `; parameter mismatch <code>${esc(m.with)}</code>${m.source ? `<span class="muted"> at ${esc(m.source)}</span>` : ''}`;
        rows += '</li>';
      }
      rows += '</ul>';
    }
    rows += '</td></tr>';
  }
  return tableWrap(
    'Coverage per project',
    `<table class="coverage"><caption class="visually-hidden">Coverage of ${esc(page.name)} per project</caption><thead><tr><th scope="col">Project</th><th scope="col">Coverage</th><th scope="col">Policies</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/**
 * One result of a requirement (a project, or the product): its parts with the
 * matched policy evaluations, violations, evidence and proofs. Evidence files
 * are listed with kind and date and link to their row in the evidence index
 * (SHA-256, commit, signer): a requirement shows every project's files, and
 * full tables for each made these the heaviest pages.
 */
export function resultSection(base: string, result: ResultView, index: number): string {
  const headingId = `result-${index}`;
  let h = `<section class="result card" aria-labelledby="${headingId}"><h3 id="${headingId}">`;
  h += result.project ? `Project ${projectLink(base, result.project)}` : 'Product';
  h += ` ${statusBadge(result.status)}</h3>`;
  if (result.underlying) h += `<p>Underlying status: ${statusBadge(result.underlying)}</p>`;
  if (result.rationale) h += `<p><strong>Not applicable:</strong> ${esc(result.rationale)}</p>`;
  const o = result.override;
  if (o) {
    h += `<p class="note"><strong>Overridden to ${esc(o.status)}</strong>`;
    if (o.date) h += ` on ${esc(formatDate(o.date))}`;
    if (o.by) h += ` by ${esc(o.by)}`;
    if (o.rationale) h += `: ${esc(o.rationale)}`;
    h += '</p>';
  }
  const x = result.exception;
  if (x) {
    h += '<p class="note"><strong>Exception</strong>';
    h += x.expires ? ` through ${esc(formatDate(x.expires))}` : ' without an end date';
    if (x.approvedBy) h += `, approved by ${esc(x.approvedBy)}`;
    if (x.owner) h += `, owner ${esc(x.owner)}`;
    if (x.rationale) h += `: ${esc(x.rationale)}`;
    h += '</p>';
  }
  if (result.parts.length === 0) h += '<p class="muted">No parts were evaluated.</p>';
  else {
    h += '<ul class="parts">';
    for (const part of result.parts) h += partItem(base, result, part);
    h += '</ul>';
  }
  return `${h}</section>`;
}

function partItem(base: string, result: ResultView, part: PartView): string {
  let h = `<li class="part"><h4>${part.type === 'policy' ? 'Policy' : 'Proof'} <code>${esc(part.name)}</code>${part.optional ? '<span class="tag">optional</span>' : ''} ${statusBadge(part.status)}</h4>`;
  h += `<p>${esc(part.message)}</p><dl class="facts">`;
  const fact = (dt: string, dd: string) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`;
  const ev = part.evaluation;
  if (part.project && result.project === null) h += fact('Decided by project', projectLink(base, part.project));
  if (part.match) h += fact('Matched', esc(part.match));
  if (part.with) h += fact('Parameters', `<code>${esc(part.with)}</code>`);
  if (ev) h += fact('Evaluated', `${esc(ev.status)}, evidence of ${time(ev.timestamp, formatDateTime(ev.timestamp))}`);
  if (ev?.firstFailure) h += fact('Failing since', esc(formatDateTime(ev.firstFailure)));
  if (part.expires) h += fact(part.status === 'EXPIRED' ? 'Expired' : 'Expires', time(part.expires, formatDateTime(part.expires)));
  if (part.graceUntil) h += fact('Within SLA until', time(part.graceUntil, formatDateTime(part.graceUntil)));
  h += '</dl>';
  if (ev && ev.violations !== null && ev.violations.length > 0) {
    h += `<p class="list-title">Violations (${ev.violations.length}):</p><ul class="violations">`;
    for (const v of ev.violations) h += `<li>${esc(v)}</li>`;
    h += '</ul>';
  }
  if (ev && ev.violations === null && ev.status === 'FAILED') h += '<p class="muted">Violations are published for public projects only.</p>';
  if (part.evidence.length > 0) {
    h += `<p class="list-title">Evidence read (${part.evidence.length}):</p><ul class="evidence-read">`;
    for (const e of part.evidence) h += evidenceItem(base, e);
    h += '</ul>';
  }
  if (part.proof) h += proofBlock(base, part.proof);
  return `${h}</li>`;
}

function evidenceItem(base: string, e: EvidenceView): string {
  let h = '<li>';
  h += e.path === null ? '<span class="muted">not published</span>' : e.href ? `<a href="${esc(withBase(base, e.href))}">${esc(e.path)}</a>` : `<span>${esc(e.path)}</span>`;
  h += ` <span class="muted">${esc(e.kind)}, ${time(e.timestamp, formatDateTime(e.timestamp))}</span>`;
  if (e.download) h += ` <a class="download" href="${esc(withBase(base, e.download))}" download>download<span class="visually-hidden"> ${esc(e.path ?? '')}</span></a>`;
  return `${h}</li>`;
}

/** A manual proof: its facts, its sanitised body (from src/portal/markdown.ts, the only raw HTML) and its attachments. */
function proofBlock(base: string, proof: ProofView): string {
  let h = `<div class="proof"${proof.anchor ? ` id="${esc(proof.anchor)}"` : ''}><dl class="facts">`;
  h += `<div><dt>File</dt><dd>${proof.file === null ? '<span class="muted">not published</span>' : esc(proof.file)}</dd></div>`;
  h += `<div><dt>Date</dt><dd>${time(proof.date, formatDate(proof.date))}</dd></div>`;
  h += `<div><dt>Result</dt><dd>${esc(proof.result)}</dd></div><div><dt>Scope</dt><dd>${esc(proof.scope)}</dd></div>`;
  if (proof.access !== 'hidden') {
    const signed = proof.signed === null ? '' : proof.signed ? `, signed by ${esc(proof.signer ?? 'a trusted key')}` : ', unsigned';
    h += `<div><dt>Commit</dt><dd>${proof.commit ? `<code>${esc(shortSha(proof.commit))}</code>` : 'not committed'}${signed}</dd></div>`;
  }
  if (proof.sha256) h += `<div><dt>SHA-256</dt><dd class="hash"><code>${esc(proof.sha256)}</code></dd></div>`;
  h += '</dl>';
  h += proof.html !== null ? `<div class="proof-body">${proof.html}</div>` : `<p class="muted">${proof.access === 'hidden' ? 'This proof is confidential.' : 'The body of this proof is not public.'}</p>`;
  if (proof.attachments.length > 0) {
    h += '<p class="attachments">Attachments: ';
    h += proof.attachments.map((a) => (a.download ? `<a href="${esc(withBase(base, a.download))}" download>${esc(a.name)}</a>` : `<span>${esc(a.name)}</span>`)).join(', ');
    h += '</p>';
  }
  return `${h}</div>`;
}
