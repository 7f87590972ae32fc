import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { UsageError, type CommandIO } from './io.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export const commonOptions = {
  content: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** node:util parseArgs with our error style: unknown flags are usage errors naming the flag. */
export function parse<T extends Options>(args: string[], options: T, usage: string, positionals = { min: 0, max: 0 }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(String((error as Error).message).split('\n')[0].replace(/\. To specify.*$/, '.'), usage);
  }
  if (parsed.positionals.length < positionals.min) throw new UsageError('missing argument', usage);
  if (parsed.positionals.length > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`, usage);
  return parsed as { values: Record<string, any>; positionals: string[] };
}

export function contentRoot(values: Record<string, any>, io: CommandIO): string {
  return path.resolve(io.cwd, values.content ?? 'content');
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T, usage: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`, usage);
  return value as T;
}
