#!/usr/bin/env node
// The command's entry: Node's compile cache first, in evident's cache folder
// (src/load/cache-dir.ts), then the rest of evident is loaded and run.
import { defaultCacheDir, enableCompileCache } from '../load/cache-dir.ts';

enableCompileCache(defaultCacheDir(process.env));

await import('./main.ts');
