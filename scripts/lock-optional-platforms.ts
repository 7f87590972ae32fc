// Records the other platforms' optional binary packages of astro's compiler
// and pagefind in package-lock.json. The registry mirror this project is built
// against holds only the linux-x64 builds of these versions, so `npm install`
// leaves them out and `npm ci` then refuses the lock as out of sync. The
// entries carry os/cpu, so npm never fetches them on another platform.
// Usage: node scripts/lock-optional-platforms.ts [--help]
import { readFileSync, writeFileSync } from 'node:fs';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/lock-optional-platforms.ts\nAdds the missing optional platform packages to package-lock.json (run after npm install).');
  process.exit(0);
}
const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages: Record<string, Record<string, unknown>> = lock.packages;
const platforms: Record<string, { os: string[]; cpu: string[]; libc?: string[] }> = {
  'android-arm64': { os: ['android'], cpu: ['arm64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'] },
  'wasm32-wasi': { os: [], cpu: ['wasm32'] },
  'win32-arm64-msvc': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64-msvc': { os: ['win32'], cpu: ['x64'] },
  'freebsd-x64': { os: ['freebsd'], cpu: ['x64'] },
  'windows-arm64': { os: ['win32'], cpu: ['arm64'] },
  'windows-x64': { os: ['win32'], cpu: ['x64'] },
};
let added = 0;
for (const [pkgPath, entry] of Object.entries(packages)) {
  const optional = (entry.optionalDependencies ?? {}) as Record<string, string>;
  for (const [name, version] of Object.entries(optional)) {
    const key = `${pkgPath ? pkgPath + '/' : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[key] || packages[hoisted]) continue;
    const platform = Object.entries(platforms).find(([suffix]) => name.endsWith(suffix));
    if (!platform) continue;
    const { os, cpu, libc } = platform[1];
    packages[hoisted] = { version, cpu, ...(libc ? { libc } : {}), optional: true, ...(os.length ? { os } : {}) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);
