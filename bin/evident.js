#!/usr/bin/env node
// Installed from the registry, evident runs its compiled JavaScript (lib/,
// made by `npm run compile` before packing): Node.js does not strip types
// inside node_modules. In a checkout it runs the TypeScript sources directly,
// even when a lib/ from an earlier `npm pack` is lying around (it would be stale).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../lib/cli/bin.js', import.meta.url);
const installed = fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
await import(installed && existsSync(compiled) ? compiled.href : new URL('../src/cli/bin.ts', import.meta.url).href);
