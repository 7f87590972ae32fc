// files → model: the loader's I/O, then the pure model builder.
import { buildModel } from '../model/build-model.ts';
import type { Model } from '../model/types.ts';
import { loadBuiltinDocuments } from './builtins.ts';
import { loadContent, type LoadOptions } from './load-content.ts';

export interface LoadedModel {
  model: Model;
  /** The commit evaluated with --at. */
  at?: Model['git']['head'];
}

export async function loadModel(root: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const content = await loadContent(root, options);
  const model = buildModel({ ...content, builtins: loadBuiltinDocuments() });
  return { model, ...(content.at ? { at: content.at } : {}) };
}
