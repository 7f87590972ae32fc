// Where evident keeps what it can compute again (parsed evidence, verdicts,
// Node's compiled code). Its own small module: the CLI's entry reads it
// before anything else is loaded.
import module from 'node:module';
import path from 'node:path';

/** The default cache folder: $EVIDENT_CACHE_DIR, else $XDG_CACHE_HOME/evident, else ~/.cache/evident. */
export function defaultCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.EVIDENT_CACHE_DIR !== undefined) return env.EVIDENT_CACHE_DIR || undefined; // empty disables
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'evident') : undefined;
}

/**
 * Node's compile cache in `cacheDir`: modules loaded from now on (evident's
 * and its dependencies', a few hundred) are compiled from cached code, which
 * halves a small run. A folder that cannot be written only leaves it off.
 * NODE_COMPILE_CACHE, when the user set it, is Node's own and wins.
 */
export function enableCompileCache(cacheDir: string | undefined): void {
  if (!cacheDir || !module.enableCompileCache) return;
  const dir = path.join(cacheDir, 'node-compile-cache');
  if (module.enableCompileCache(dir).status === module.constants.compileCacheStatus.ENABLED) enabled = dir;
}
let enabled: string | undefined;

/**
 * What a worker thread needs to use the compile cache enabled above: Node
 * reads it from the worker's environment, not from the thread that started
 * it. undefined: the worker's default (a NODE_COMPILE_CACHE of the user's is
 * in it).
 */
export function workerEnv(): NodeJS.ProcessEnv | undefined {
  return enabled ? { ...process.env, NODE_COMPILE_CACHE: enabled } : undefined;
}
