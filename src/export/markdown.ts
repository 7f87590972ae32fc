// Report → a Markdown summary for a CI step summary or a pull-request comment.
import type { Report, Status } from '../evaluate/report-types.ts';

const icon: Record<Status, string> = {
  PASSED: '✅',
  GRACE: '⏳',
  EXPIRED: '⌛',
  MISSING: '❔',
  FAILED: '❌',
  EXCEPTION: '🛡️',
  NOT_APPLICABLE: '➖',
  INACTIVE: '💤',
};

export const statusLabel = (s: Status) => `${icon[s]} ${s}`;

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`;
}

export function toMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# Compliance summary${report.organization ? ` — ${md(report.organization)}` : ''}`, '');
  out.push(`Evaluated at ${report.now}${report.commit ? ` on commit \`${report.commit.sha.slice(0, 12)}\`${report.commit.dirty ? ' (with uncommitted changes)' : ''}` : ''} by evident ${md(report.generator.version)}.`, '');
  for (const p of report.products) {
    out.push(`## ${md(p.displayName)}${p.version ? ` ${md(p.version)}` : ''}`, '');
    out.push(`Score: **${formatScore(p.score)}** — ${Object.entries(p.counts).filter(([, n]) => n > 0).map(([s, n]) => `${statusLabel(s as Status)} ${n}`).join(' · ') || 'no results'}`, '');
    if (p.frameworks.length) {
      out.push('| Framework | Score | Controls failing |', '|---|---|---|');
      for (const f of p.frameworks) out.push(`| ${md(f.displayName)} | ${formatScore(f.score)} | ${f.controls.filter((c) => c.status === 'FAILED').length} |`);
      out.push('');
    }
    const attention = p.results.filter((r) => r.status === 'FAILED' || r.status === 'MISSING' || r.status === 'EXPIRED' || r.status === 'GRACE');
    if (attention.length) {
      out.push('| Requirement | Project | Status | Why |', '|---|---|---|---|');
      for (const r of attention) {
        const why = r.parts.filter((x) => x.status !== 'PASSED' && !x.optional).map((x) => `${x.name}: ${x.message}`).join(' / ');
        out.push(`| ${md(r.requirement)} | ${md(r.project ?? '(product)')} | ${statusLabel(r.status)} | ${md(truncate(why, 300))} |`);
      }
      out.push('');
    } else {
      out.push('Nothing needs attention.', '');
    }
  }
  return out.join('\n');
}

/** Escapes content for Markdown: no markup, no HTML, no table breaks. */
export function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
