// Declarative content policies: a JSONata expression over each primary item's
// document that yields the violations (SPEC section 4). No code from content
// runs: JSONata is an expression language with no I/O. The evaluation is
// time-boxed and depth-limited with JSONata's evaluation hooks (the technique
// of the JSONata exerciser's timeboxExpression), and `$now()`/`$millis()` give
// the evaluation time, never the clock.
import jsonata from 'jsonata';
import type { CustomPolicy } from '../model/types.ts';
import type { PolicyInput, PolicyVerdict } from './types.ts';
import { compareText, instantMillis, listKinds, skipped } from './shared/common.ts';

export type CustomPolicyErrorCode = 'policy-expression-syntax' | 'policy-expression-error' | 'policy-expression-timeout';

export interface CustomPolicyVerdict extends PolicyVerdict {
  /** Set when the expression could not run to the end; the caller reports a diagnostic at the policy file. */
  error?: { code: CustomPolicyErrorCode; message: string };
}

/** Deeper nesting than this is a runaway recursion. */
export const maxEvaluationDepth = 1000;

const budgetName = '__evidentBudget';

interface Budget {
  deadline: number;
  millis: number;
  depth: number;
}

/** Thrown by the hooks; recognised by its marker. */
class RunawayExpression extends Error {
  readonly runaway = true;
}

function budgetOf(environment: unknown): Budget | undefined {
  const env = environment as { lookup?: (name: string) => unknown } | undefined;
  const value = env?.lookup?.(budgetName);
  return value && typeof value === 'object' && 'deadline' in value ? (value as Budget) : undefined;
}

function check(budget: Budget): void {
  if (budget.depth > maxEvaluationDepth) throw new RunawayExpression(`the expression nests deeper than ${maxEvaluationDepth} levels (a recursion that does not end?)`);
  if (Date.now() > budget.deadline) throw new RunawayExpression(`the expression ran longer than ${budget.millis} ms (Config.spec.limits.policyMillis)`);
}

const compiledCache = new Map<string, jsonata.Expression>();

/** Compiled once per expression text; the hooks read each evaluation's own budget. */
function compile(text: string): jsonata.Expression {
  let expression = compiledCache.get(text);
  if (!expression) {
    expression = jsonata(text);
    expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, (_expr: unknown, _input: unknown, environment: unknown) => {
      const budget = budgetOf(environment);
      if (!budget) return;
      budget.depth++;
      check(budget);
    });
    expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, (_expr: unknown, _input: unknown, environment: unknown) => {
      const budget = budgetOf(environment);
      if (!budget) return;
      budget.depth--;
      check(budget);
    });
    if (compiledCache.size >= 256) compiledCache.clear();
    compiledCache.set(text, expression);
  }
  return expression;
}

interface JsonataError {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

/** undefined when `text` is a JSONata expression; else what is wrong and the 0-based character offset. */
export function checkCustomPolicySyntax(text: string): { message: string; position?: number } | undefined {
  try {
    jsonata(text);
    return undefined;
  } catch (error) {
    const e = error as JsonataError;
    const message = `${e.message ?? String(error)}${e.code ? ` (${e.code})` : ''}`;
    // JSONata reports the offset just after the offending token.
    if (typeof e.position === 'number') {
      const tokenLength = typeof e.token === 'string' && e.token !== '(end)' ? e.token.length : 0;
      return { message, position: Math.min(text.length, Math.max(0, e.position - tokenLength)) };
    }
    return { message };
  }
}

function isLambda(value: unknown): boolean {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && ('_jsonata_lambda' in value || '_jsonata_function' in value));
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isLambda(value)) throw new TypeError('the expression returned a function instead of violation text');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** nothing → no violations, a string → one, an array → one per element (objects as JSON), anything else → its text. */
export function normalizeViolations(result: unknown): string[] {
  if (result === undefined || result === null) return [];
  if (Array.isArray(result)) return Array.from(result as unknown[], asText).filter((t): t is string => t !== undefined);
  const text = asText(result);
  return text === undefined ? [] : [text];
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const e = error as JsonataError;
  if (e && typeof e === 'object' && typeof e.message === 'string') return `${e.message}${e.code ? ` (${e.code})` : ''}${typeof e.position === 'number' ? ` at character ${e.position}` : ''}`;
  return String(error);
}

/**
 * Run the policy's expression over the document of each primary item, with
 * `$with` bound to the (resolved) parameters. A syntax error, a throw or a
 * runaway evaluation makes the verdict FAILED with the reason and `error`.
 */
export async function evaluateCustomPolicy(policy: CustomPolicy, input: PolicyInput, params: Record<string, unknown>, limits: { policyMillis: number }): Promise<CustomPolicyVerdict> {
  const items = input.primary.filter((item) => policy.kinds.includes(item.kind)).sort((a, b) => compareText(a.path, b.path));
  if (items.length === 0) return skipped(`No ${listKinds(policy.kinds)} evidence to read.`);

  let expression: jsonata.Expression;
  try {
    expression = compile(policy.violations);
  } catch (error) {
    const message = `the expression does not parse: ${describe(error)}`;
    return { status: 'FAILED', violations: [], reason: message, error: { code: 'policy-expression-syntax', message } };
  }

  const atMillis = instantMillis(input.at) ?? 0;
  const budget: Budget = { deadline: Date.now() + limits.policyMillis, millis: limits.policyMillis, depth: 0 };
  const bindings: Record<string, unknown> = {
    with: params,
    [budgetName]: budget,
    // The evaluation time, not the clock: results must not depend on when evident runs.
    now: () => new Date(atMillis).toISOString(),
    millis: () => atMillis,
  };
  const violations: string[] = [];
  for (const item of items) {
    if (item.json === undefined) {
      violations.push(`${item.path}: no document to read (the reader kept no JSON form of it)`);
      continue;
    }
    try {
      budget.depth = 0;
      const result = await expression.evaluate(item.json, bindings);
      violations.push(...normalizeViolations(result));
    } catch (error) {
      const runaway = error instanceof RunawayExpression;
      const message = `${item.path}: ${runaway ? '' : 'the expression failed: '}${describe(error)}`;
      return {
        status: 'FAILED',
        violations: [],
        reason: message,
        error: { code: runaway ? 'policy-expression-timeout' : 'policy-expression-error', message },
      };
    }
  }
  violations.sort(compareText);
  return { status: violations.length > 0 ? 'FAILED' : 'PASSED', violations };
}
