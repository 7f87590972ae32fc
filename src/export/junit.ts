// Report → JUnit XML: one test case per requirement result. FAILED, MISSING
// and EXPIRED are failures; GRACE passes with a note; EXCEPTION,
// NOT_APPLICABLE and INACTIVE are skipped (SPEC section 9).
import type { Report, RequirementResult } from '../evaluate/report-types.ts';

export function toJunit(report: Report): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.products.flatMap((p) => p.results);
  const count = (pred: (r: RequirementResult) => boolean) => all.filter(pred).length;
  const isFailure = (r: RequirementResult) => r.status === 'FAILED' || r.status === 'MISSING' || r.status === 'EXPIRED';
  const isSkipped = (r: RequirementResult) => r.status === 'EXCEPTION' || r.status === 'NOT_APPLICABLE' || r.status === 'INACTIVE';
  // <testsuites> carries only what the common JUnit XSD (Jenkins junit-10.xsd) allows there; skips are counted per suite.
  lines.push(`<testsuites name="evident" tests="${all.length}" failures="${count(isFailure)}" errors="0">`);
  for (const product of report.products) {
    const results = product.results;
    lines.push(`  <testsuite name="${xml(product.name)}" tests="${results.length}" failures="${results.filter(isFailure).length}" errors="0" skipped="${results.filter(isSkipped).length}" timestamp="${report.now.replace(/\.\d{3}Z$/, '')}">`);
    for (const r of results) {
      const name = r.project ? `${r.requirement} [${r.project}]` : r.requirement;
      const open = `    <testcase classname="${xml(`${product.name}.${r.requirement}`)}" name="${xml(name)}"`;
      const detail = r.parts.map((p) => `${p.type} ${p.name}${p.project && !r.project ? ` (${p.project})` : ''}: ${p.status}: ${p.message}${p.evaluation?.violations.length ? '\n  ' + p.evaluation.violations.join('\n  ') : ''}`).join('\n');
      if (isFailure(r)) {
        lines.push(`${open}>`, `      <failure type="${r.status}" message="${xml(`${r.status}${r.overridden ? ' (overridden)' : ''}`)}">${xml(detail)}</failure>`, '    </testcase>');
      } else if (isSkipped(r)) {
        const why = r.status === 'EXCEPTION' ? `EXCEPTION (underlying ${r.underlying}): ${r.exception?.rationale ?? ''}` : `${r.status}${r.rationale ? `: ${r.rationale}` : ''}`;
        lines.push(`${open}>`, `      <skipped message="${xml(why)}"/>`, '    </testcase>');
      } else if (r.status === 'GRACE') {
        lines.push(`${open}>`, `      <system-out>${xml(`GRACE: ${detail}`)}</system-out>`, '    </testcase>');
      } else {
        lines.push(`${open}/>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
