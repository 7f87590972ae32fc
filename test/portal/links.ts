// A link checker over a built site: every href and src of every HTML file
// must point under the base path to a file that exists (a folder means its
// index.html) and, with a fragment, to an element with that id.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listFiles } from './fixture.ts';

export interface LinkReport {
  checked: number;
  broken: { page: string; href: string; why: string }[];
  external: { page: string; href: string }[];
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function checkLinks(dir: string, base: string): LinkReport {
  const report: LinkReport = { checked: 0, broken: [], external: [] };
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let set = ids.get(file);
    if (!set) {
      set = new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]*)"/g)].map((m) => decode(m[1])));
      ids.set(file, set);
    }
    return set;
  };
  const target = (rel: string) => {
    const file = path.join(dir, rel);
    if (rel === '' || rel.endsWith('/')) return path.join(file, 'index.html');
    return existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'index.html') : file;
  };
  for (const page of listFiles(dir).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(dir, page), 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const href = decode(m[1]);
      report.checked++;
      if (/^(https?:|mailto:)/i.test(href)) {
        report.external.push({ page, href });
        continue;
      }
      const [pathPart, fragment] = href.split('#') as [string, string | undefined];
      let file: string;
      if (pathPart === '') file = path.join(dir, page);
      else if (pathPart.startsWith(base)) file = target(decodeURIComponent(pathPart.slice(base.length)));
      else {
        report.broken.push({ page, href, why: `not under the base path ${base}` });
        continue;
      }
      if (!existsSync(file)) {
        report.broken.push({ page, href, why: 'no such file' });
        continue;
      }
      if (fragment && !idsOf(file).has(decodeURIComponent(fragment))) report.broken.push({ page, href, why: `no element with id "${fragment}"` });
    }
  }
  return report;
}
