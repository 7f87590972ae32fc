import type { Report } from '../evaluate/report-types.ts';
import { csv } from './csv.ts';

/** One row per requirement result. */
export function toResultsCsv(report: Report): string {
  const rows = report.products.flatMap((p) =>
    p.results.map((r) => [
      p.name,
      r.requirement,
      r.project ?? '',
      r.status,
      r.underlying ?? '',
      r.overridden ? 'yes' : 'no',
      r.parts.map((x) => `${x.type}:${x.name}=${x.status}`).join('; '),
      r.exception?.expires ?? '',
      r.parts.flatMap((x) => x.evaluation?.violations ?? []).length,
    ]),
  );
  return csv(['product', 'requirement', 'project', 'status', 'underlying', 'overridden', 'parts', 'exception_expires', 'violations'], rows);
}
