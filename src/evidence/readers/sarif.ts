// SARIF 2.1.0 (static analysis results).
//
// Level (SARIF §3.27.10): the result's own level; else, when its `kind` is
// something other than "fail", "none"; else its rule's
// defaultConfiguration.level; else "warning".
// Suppressed: a suppression that is accepted (or has no status, which SARIF
// defines as accepted); "underReview" and "rejected" do not suppress.
// Results whose baselineState is "absent" are gone from the code and are left out.
import type { SarifLevel, SarifLog, SarifResult } from '../types.ts';
import { asArray, compact, error, get, isObject, newest, num, readTimestamp, str, warning, type Normalized, type Obj, type ReaderContext } from './common.ts';

export const kind = 'sarif';
export const syntaxes = ['json'] as const;

const levels = new Set<SarifLevel>(['error', 'warning', 'note', 'none']);

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc) || !Array.isArray(doc.runs)) return false;
  // SARIF 1.0.0 and 2.x pre-releases are recognised so that they can be reported as unsupported.
  return typeof doc.version === 'string' && (/^(1\.0\.0|2\.)/.test(doc.version) || (str(doc.$schema) ?? '').toLowerCase().includes('sarif'));
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const d = doc as Obj;
  const version = str(d.version)!;
  if (version !== '2.1.0') {
    return {
      kind: 'file',
      format: `SARIF ${version} (unsupported)`,
      data: {},
      problems: [warning('evidence-unsupported-format', `SARIF ${version} is not supported (SARIF 2.1.0 is); the file is kept as a plain file.`)],
    };
  }
  const problems: Normalized['problems'] = [];
  const times: (string | undefined)[] = [];
  const runs: SarifLog['runs'] = [];
  asArray(d.runs).forEach((run, r) => {
    if (!isObject(run)) return;
    const driver = get(run, 'tool', 'driver');
    const tool = str(get(driver, 'name'));
    if (!tool) problems.push(error('evidence-invalid', `SARIF run ${r + 1} has no tool.driver.name.`));
    for (const inv of asArray(run.invocations)) times.push(readTimestamp(get(inv, 'endTimeUtc'), `runs[${r}].invocations[].endTimeUtc`, problems));
    if (run.results !== undefined && run.results !== null && !Array.isArray(run.results)) {
      problems.push(error('evidence-invalid', `SARIF run ${r + 1}: "results" must be an array; it is ignored.`));
    }
    const results: SarifResult[] = [];
    for (const result of Array.isArray(run.results) ? run.results : []) {
      if (!isObject(result) || str(result.baselineState) === 'absent') continue;
      const rule = ruleOf(run, driver, result);
      const ruleId = str(result.ruleId) ?? str(get(result, 'rule', 'id')) ?? str(get(rule, 'id'));
      results.push(
        compact({
          ruleId,
          level: levelOf(result, rule),
          message: messageOf(result, rule),
          suppressed: asArray(result.suppressions).some((s) => {
            const status = str(get(s, 'status'));
            return status === undefined || status === 'accepted';
          }),
          location: locationOf(result),
        }),
      );
    }
    runs.push({ tool: tool ?? 'unknown', results });
  });
  const log: SarifLog = { version, runs };
  return compact({ format: 'SARIF 2.1.0', data: { sarif: log }, timestamp: newest(times), problems });
}

/** The reporting descriptor of a result: by ruleIndex / rule.index, else by id, in the driver or the extension named. */
function ruleOf(run: Obj, driver: unknown, result: Obj): unknown {
  const extIndex = num(get(result, 'rule', 'toolComponent', 'index'));
  const component = extIndex !== undefined ? asArray(get(run, 'tool', 'extensions'))[extIndex] : driver;
  const rules = asArray(get(component, 'rules'));
  const index = num(result.ruleIndex) ?? num(get(result, 'rule', 'index'));
  if (index !== undefined && index >= 0 && rules[index] !== undefined) return rules[index];
  const id = str(result.ruleId) ?? str(get(result, 'rule', 'id'));
  if (id === undefined) return undefined;
  // A hierarchical id ("rule/sub") falls back to its base rule.
  return rules.find((x) => str(get(x, 'id')) === id) ?? rules.find((x) => str(get(x, 'id')) === id.split('/')[0]);
}

function levelOf(result: Obj, rule: unknown): SarifLevel {
  const own = str(result.level) as SarifLevel | undefined;
  if (own && levels.has(own)) return own;
  const kindValue = str(result.kind);
  if (kindValue !== undefined && kindValue !== 'fail') return 'none';
  const fallback = str(get(rule, 'defaultConfiguration', 'level')) as SarifLevel | undefined;
  return fallback && levels.has(fallback) ? fallback : 'warning';
}

/** message.text, or the rule's message string for message.id, with {0}… arguments filled in. */
function messageOf(result: Obj, rule: unknown): string {
  const text = str(get(result, 'message', 'text'));
  const id = str(get(result, 'message', 'id'));
  const template = text ?? (id ? str(get(rule, 'messageStrings', id, 'text')) : undefined);
  if (template === undefined) return '';
  const args = asArray(get(result, 'message', 'arguments')).map((a) => String(a));
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole);
}

function locationOf(result: Obj): string | undefined {
  const location = asArray(result.locations)[0];
  const physical = get(location, 'physicalLocation');
  const uri = str(get(physical, 'artifactLocation', 'uri'));
  if (!uri) return str(get(asArray(get(location, 'logicalLocations'))[0], 'fullyQualifiedName'));
  const line = num(get(physical, 'region', 'startLine'));
  return line !== undefined ? `${uri}:${line}` : uri;
}
