// JUnit XML, as written by Maven Surefire, pytest, vitest, jest-junit, Trivy and
// others: a <testsuites> or <testsuite> root, suites possibly nested.
//
// A test case is failed/error/skipped when it has a <failure>/<error>/<skipped>
// child (an error wins over a failure); Surefire's <flakyFailure>/<rerunFailure>
// beside a pass mean it passed on a rerun. Counts come from the test cases when
// there are any; a file with only summary attributes is counted from those.
// Timestamp: the newest testsuite@timestamp (a time without a zone is UTC).
import type { TestCase, TestReport } from '../types.ts';
import { asArray, compact, get, isObject, newest, num, readTimestamp, str, type Normalized, type Obj, type ReaderContext } from './common.ts';

export const kind = 'junit';
export const syntaxes = ['xml'] as const;

export function detect(_doc: unknown, ctx: ReaderContext): boolean {
  const root = ctx.xmlRoot?.localName;
  return root === 'testsuites' || root === 'testsuite';
}

export function normalize(doc: unknown, ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const rootName = ctx.xmlRoot!.localName;
  const root = get(doc, rootName);
  const rootObj: Obj = isObject(root) ? root : {};
  const suites: Obj[] = [];
  const collect = (node: unknown): void => {
    for (const s of asArray(node)) {
      if (!isObject(s)) continue;
      suites.push(s);
      collect(s.testsuite);
    }
  };
  if (rootName === 'testsuite') collect(rootObj);
  else collect(rootObj.testsuite);

  const cases: TestCase[] = [];
  for (const suite of suites) {
    for (const c of asArray(suite.testcase)) {
      if (!isObject(c)) continue;
      cases.push(readCase(c));
    }
  }

  let counts: Pick<TestReport, 'tests' | 'failures' | 'errors' | 'skipped'>;
  if (cases.length > 0) {
    counts = {
      tests: cases.length,
      failures: cases.filter((c) => c.status === 'failed').length,
      errors: cases.filter((c) => c.status === 'error').length,
      skipped: cases.filter((c) => c.status === 'skipped').length,
    };
  } else {
    // Summary only: the root's totals, else the sum over leaf suites (a parent's totals include its children).
    const sources = rootName === 'testsuites' && num(rootObj['@tests']) !== undefined ? [rootObj] : suites.filter((s) => asArray(s.testsuite).length === 0);
    const sum = (attr: string, alt?: string): number => sources.reduce((n, s) => n + (num(s[`@${attr}`]) ?? (alt ? num(s[`@${alt}`]) : undefined) ?? 0), 0);
    counts = { tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped', 'disabled') };
  }

  const suiteTimes = suites.map((s, i) => readTimestamp(s['@timestamp'], `testsuite ${i + 1} timestamp`, problems));
  const timestamp = newest(suiteTimes) ?? readTimestamp(rootObj['@timestamp'], 'testsuites timestamp', problems);
  const tests: TestReport = compact({ ...counts, timestamp, cases });
  const dialect = dialectOf(rootObj, suites);
  return compact({ format: `JUnit XML${dialect ? ` (${dialect})` : ''}`, data: { tests }, timestamp, problems });
}

function readCase(c: Obj): TestCase {
  const error = c.error;
  const failure = c.failure;
  const skipped = c.skipped;
  const [status, detail]: [TestCase['status'], unknown] =
    error !== undefined ? ['error', error] : failure !== undefined ? ['failed', failure] : skipped !== undefined ? ['skipped', skipped] : ['passed', undefined];
  return compact({
    name: str(c['@name']) ?? '',
    classname: str(c['@classname']),
    status,
    message: detail === undefined ? undefined : messageOf(detail),
  });
}

/** The message attribute, else the first line of the element's text. */
function messageOf(detail: unknown): string | undefined {
  const first = asArray(detail)[0];
  const attr = str(get(first, '@message'));
  if (attr) return attr;
  return str(first)?.split('\n')[0]?.trim() || undefined;
}

function dialectOf(root: Obj, suites: Obj[]): string | undefined {
  const names = [str(root['@name']), ...suites.map((s) => str(s['@name']))].map((n) => n?.toLowerCase());
  if (names.includes('pytest tests') || names.includes('pytest')) return 'pytest';
  if (names.includes('vitest tests')) return 'vitest';
  if (names.includes('jest tests')) return 'jest-junit';
  if (suites.some((s) => (str(s['@xsi:noNamespaceSchemaLocation']) ?? '').includes('surefire'))) return 'Maven Surefire';
  return undefined;
}
