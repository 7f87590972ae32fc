#!/usr/bin/env node
// Installed from the registry, evident runs its compiled JavaScript (lib/,
// made by `npm run compile` before packing): Node.js does not strip types
// inside node_modules. In a checkout it runs the TypeScript sources directly.
import { existsSync } from 'node:fs';

const compiled = new URL('../lib/cli/bin.js', import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/bin.ts', import.meta.url).href);
