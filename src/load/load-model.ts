// files → model: the loader's I/O, then the pure model builder.
import { buildModel } from '../model/build-model.ts';
import type { Model } from '../model/types.ts';
import { loadBuiltinDocuments } from './builtins.ts';
import { cacheUsable, loadContent, type KnownCommit, type LoadOptions } from './load-content.ts';
import { VerdictStore } from './verdict-store.ts';

export interface LoadedModel {
  model: Model;
  /** The commit evaluated with --at. */
  at?: Model['git']['head'];
  /** Policy verdicts cached beside the blob cache (with `cacheDir`): pass to evaluate() as its memo. */
  verdicts?: VerdictStore;
  /** The commit's key, for a load with `known` (see `commitKey`). */
  key?: string;
}

export async function loadModel(root: string, options: Omit<LoadOptions, 'known'> = {}): Promise<LoadedModel> {
  const loaded = await loadCommit(root, options);
  if ('known' in loaded) throw new Error('a load without `known` reads the whole commit');
  return loaded;
}

/** `loadModel` for `history`: stops once git has read the log when `known` recognises the commit's key. */
export async function loadCommit(root: string, options: LoadOptions = {}): Promise<LoadedModel | KnownCommit> {
  const cacheDir = options.cacheDir && cacheUsable(root, options.cacheDir) ? options.cacheDir : undefined;
  const verdicts = cacheDir ? new VerdictStore(cacheDir) : undefined;
  let builtins: ReturnType<typeof loadBuiltinDocuments> | undefined;
  // Read while git reads the history: the caches' own files, on this thread, beside git's processes.
  const meanwhile = () => {
    options.meanwhile?.();
    // `history` (a session) evaluates with the first load's store only.
    if (!options.session) verdicts?.preload();
    builtins = loadBuiltinDocuments(cacheDir);
  };
  const content = await loadContent(root, { ...options, meanwhile });
  if ('known' in content) return content;
  const model = buildModel({ ...content, builtins: builtins ?? loadBuiltinDocuments(cacheDir) });
  return { model, ...(content.at ? { at: content.at } : {}), ...(verdicts ? { verdicts } : {}), ...(content.key !== undefined ? { key: content.key } : {}) };
}
