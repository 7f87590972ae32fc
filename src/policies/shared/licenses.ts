// SPDX licence expressions against a list of banned licences.
//
// A component fails when its expression cannot be satisfied without a banned
// licence: the AND/OR tree is evaluated with banned ids false and all others
// true. Ids are matched case-insensitively (as the SPDX specification asks);
// the deprecated GNU ids mean their `-only` form (`AGPL-3.0` = `AGPL-3.0-only`)
// and `+` means `-or-later` (`GPL-2.0+` = `GPL-2.0-or-later`). An exception
// (`WITH …`) only adds permissions, so `X WITH e` is banned when X is, unless
// the list bans `X WITH e` itself. An id that is not on the SPDX licence list
// is not banned unless listed, and is reported as unknown (a note).
import { createRequire } from 'node:module';
import { sortedUnique } from './common.ts';

const require = createRequire(import.meta.url);

type LicenseNode = { license: string; plus?: boolean; exception?: string } | { left: LicenseNode; conjunction: 'and' | 'or'; right: LicenseNode };

const parseSpdx = require('spdx-expression-parse') as (source: string) => LicenseNode;
const licenseIds = require('spdx-license-ids') as string[];
const deprecatedIds = require('spdx-license-ids/deprecated.json') as string[];
const exceptionIds: string[] = (() => {
  try {
    // Installed with spdx-expression-parse, which reads the same list.
    return createRequire(require.resolve('spdx-expression-parse'))('spdx-exceptions') as string[];
  } catch {
    return [];
  }
})();

const canonicalLicense = new Map<string, string>([...licenseIds, ...deprecatedIds].map((id) => [id.toLowerCase(), id]));
const canonicalException = new Map<string, string>(exceptionIds.map((id) => [id.toLowerCase(), id]));
const deprecated = new Set(deprecatedIds.map((id) => id.toLowerCase()));

const UNKNOWN_PREFIX = 'LicenseRef-evident-unknown-';

/** The comparable form of a licence id: lower case, deprecated GNU ids as `-only`, `+` as `-or-later`. */
export function normalizeLicenseId(id: string, plus = false): string {
  let base = id.trim();
  if (base.endsWith('+')) {
    base = base.slice(0, -1);
    plus = true;
  }
  const lower = base.toLowerCase();
  if (plus) {
    if (lower.endsWith('-only')) return `${lower.slice(0, -5)}-or-later`;
    if (lower.endsWith('-or-later')) return lower;
    if (canonicalLicense.has(`${lower}-or-later`)) return `${lower}-or-later`;
    return `${lower}+`;
  }
  if (deprecated.has(lower) && canonicalLicense.has(`${lower}-only`)) return `${lower}-only`;
  return lower;
}

interface BannedEntry {
  id: string;
  exception?: string;
}

function parseBanned(entry: string): BannedEntry {
  const [id, exception] = entry.split(/\s+WITH\s+/i);
  const out: BannedEntry = { id: normalizeLicenseId(id) };
  if (exception !== undefined) out.exception = exception.trim().toLowerCase();
  return out;
}

export interface LicenseCheck {
  /** ok: satisfiable without a banned licence; banned: not; invalid: the expression does not parse. */
  status: 'ok' | 'banned' | 'invalid';
  /** Banned ids the expression names, as written. */
  banned: string[];
  /** Ids not on the SPDX licence list (or unknown exceptions), as written. */
  unknown: string[];
  /** Why the expression does not parse. */
  error?: string;
}

/** Canonical case for known ids; unknown ids become LicenseRef placeholders so the grammar still parses. */
function prepare(expression: string): { text: string; placeholders: Map<string, string>; unknown: string[] } {
  const placeholders = new Map<string, string>();
  const unknown: string[] = [];
  const out: string[] = [];
  const tokens = expression.match(/[A-Za-z0-9.-]+|\s+|[^A-Za-z0-9.\s-]/g) ?? [];
  let previousWord = '';
  for (const token of tokens) {
    if (/^\s+$/.test(token) || !/^[A-Za-z0-9.-]+$/.test(token)) {
      out.push(token);
      if (!/^\s+$/.test(token)) previousWord = token;
      continue;
    }
    const lower = token.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'with') {
      out.push(token.toUpperCase());
    } else if (/^(licenseref|documentref)-/i.test(token)) {
      out.push(token.replace(/^licenseref-/i, 'LicenseRef-').replace(/^documentref-/i, 'DocumentRef-'));
    } else if (previousWord.toLowerCase() === 'with') {
      const exception = canonicalException.get(lower);
      if (exception) out.push(exception);
      else {
        // An unknown exception cannot change the verdict: drop "WITH x".
        unknown.push(token);
        while (out.length > 0 && /^\s+$/.test(out[out.length - 1])) out.pop();
        if (out.length > 0 && out[out.length - 1] === 'WITH') out.pop();
      }
    } else if (previousWord === ':') {
      out.push(token);
    } else {
      const known = canonicalLicense.get(lower) ?? canonicalException.get(lower);
      if (known) out.push(known);
      else {
        const placeholder = `${UNKNOWN_PREFIX}${placeholders.size + 1}`;
        placeholders.set(placeholder, token);
        unknown.push(token);
        out.push(placeholder);
      }
    }
    previousWord = token;
  }
  return { text: out.join(''), placeholders, unknown };
}

/**
 * Checks are pure in (expression, banned list), and SBOMs repeat the same few
 * expressions over thousands of components and every earlier version: memoised,
 * bounded. Callers only read the result.
 */
const checkMemo = new Map<string, LicenseCheck>();
const checkMemoLimit = 10_000;

/** Does `expression` avoid the `banned` licences? */
export function checkLicenseExpression(expression: string, banned: readonly string[]): LicenseCheck {
  const key = `${banned.join('\n')}\0${expression}`;
  const hit = checkMemo.get(key);
  if (hit) return hit;
  const result = checkUncached(expression, banned);
  if (checkMemo.size >= checkMemoLimit) checkMemo.delete(checkMemo.keys().next().value!);
  checkMemo.set(key, result);
  return result;
}

function checkUncached(expression: string, banned: readonly string[]): LicenseCheck {
  const bannedEntries = banned.map(parseBanned);
  const { text, placeholders, unknown } = prepare(expression);
  let tree: LicenseNode;
  try {
    tree = parseSpdx(text.trim());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'invalid', banned: [], unknown: sortedUnique(unknown), error: message.replace(new RegExp(`${UNKNOWN_PREFIX}\\d+`, 'g'), (p) => placeholders.get(p) ?? p) };
  }
  const found: string[] = [];
  const isBanned = (leaf: { license: string; plus?: boolean; exception?: string }): boolean => {
    const written = placeholders.get(leaf.license) ?? leaf.license;
    const id = normalizeLicenseId(written, leaf.plus === true);
    const exception = leaf.exception?.toLowerCase();
    const hit = bannedEntries.some((b) => b.id === id && (b.exception === undefined || b.exception === exception));
    if (hit) found.push(`${written}${leaf.plus ? '+' : ''}${leaf.exception ? ` WITH ${leaf.exception}` : ''}`);
    return hit;
  };
  // Evaluate every leaf (no short-circuit) so every banned id is named.
  const satisfiable = (node: LicenseNode): boolean => {
    if ('license' in node) return !isBanned(node);
    const left = satisfiable(node.left);
    const right = satisfiable(node.right);
    return node.conjunction === 'and' ? left && right : left || right;
  };
  const ok = satisfiable(tree);
  return { status: ok ? 'ok' : 'banned', banned: sortedUnique(found), unknown: sortedUnique(unknown) };
}
