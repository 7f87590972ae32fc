// OpenVEX (v0.2.0, and the earlier v0.0.x shapes): statements about whether a
// vulnerability affects products.
//
// Products: a statement about a product's subcomponents is about those
// subcomponents inside that product; both the product and its subcomponents are
// listed, so a finding reported against the subcomponent's purl (what scanners
// report) or the product's matches.
import type { VexStatement, VexStatus } from '../types.ts';
import { asArray, compact, error, get, isObject, readTimestamp, sortedUnique, str, warning, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'openvex';
export const syntaxes = ['json'] as const;

const statuses = new Set<VexStatus>(['not_affected', 'affected', 'fixed', 'under_investigation']);

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc)) return false;
  const context = str(doc['@context']);
  return context !== undefined && context.startsWith('https://openvex.dev/ns') && Array.isArray(doc.statements);
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const documentTime = readTimestamp(get(doc, 'timestamp'), 'timestamp', problems);
  const lastUpdated = readTimestamp(get(doc, 'last_updated'), 'last_updated', problems);
  const statements: VexStatement[] = [];
  asArray(get(doc, 'statements')).forEach((s, index) => {
    if (!isObject(s)) return;
    const vuln = s.vulnerability;
    // v0.2: {name, aliases}; v0.0.x: a plain id string.
    const id = typeof vuln === 'string' ? str(vuln) : str(get(vuln, 'name')) ?? str(get(vuln, '@id'));
    const status = str(s.status) as VexStatus | undefined;
    if (!id || !status || !statuses.has(status)) {
      problems.push(error('evidence-invalid', `OpenVEX statement ${index + 1} needs a vulnerability and a status (${[...statuses].join(', ')}); it is ignored.`));
      return;
    }
    const products = asArray(s.products).flatMap((p) => {
      if (typeof p === 'string') return [p];
      const own = str(get(p, '@id')) ?? str(get(p, 'identifiers', 'purl'));
      return [own, ...asArray(get(p, 'subcomponents')).map((c) => (typeof c === 'string' ? c : str(get(c, '@id')) ?? str(get(c, 'identifiers', 'purl'))))];
    });
    // v0.0.x put subcomponents beside products.
    products.push(...asArray(s.subcomponents).map((c) => (typeof c === 'string' ? c : str(get(c, '@id')))).filter((x): x is string => x !== undefined));
    if (status === 'not_affected' && !str(s.justification) && !str(s.impact_statement)) {
      problems.push(warning('evidence-invalid', `OpenVEX statement ${index + 1} (${id}) is not_affected without a justification or impact statement.`));
    }
    statements.push(
      compact({
        vulnerability: id,
        aliases: sortedUnique(asArray(get(vuln, 'aliases')).map(str)).filter((a) => a !== id),
        products: sortedUnique(products),
        status,
        justification: str(s.justification),
        timestamp: readTimestamp(s.timestamp, `The time of statement ${index + 1}`, problems) ?? readTimestamp(s.last_updated, `The update time of statement ${index + 1}`, problems) ?? lastUpdated ?? documentTime,
      }),
    );
  });
  return compact({ format: 'OpenVEX', data: { vex: { statements } }, timestamp: documentTime, problems });
}
