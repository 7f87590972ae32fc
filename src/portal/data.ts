// The pages' one source of data: the view-model JSON that buildPortal wrote,
// found through EVIDENT_PORTAL_DATA. Read once per build; getStaticPaths of
// every route maps over it (the fastest, leanest feeding at 10k pages; see
// docs/portal.md).
import { readFileSync } from 'node:fs';
import { withBase } from './format.ts';
import type { PortalData } from './view-model.ts';

export const DATA_ENV = 'EVIDENT_PORTAL_DATA';

let cached: { file: string; data: PortalData } | undefined;

export function loadPortalData(): PortalData {
  const file = process.env[DATA_ENV];
  if (!file) throw new Error(`${DATA_ENV} is not set: the portal pages are built by buildPortal() (src/portal/build-portal.ts), which writes the data and points ${DATA_ENV} at it.`);
  if (cached?.file !== file) cached = { file, data: JSON.parse(readFileSync(file, 'utf8')) as PortalData };
  return cached.data;
}

/** A site-relative href ("products/acme/") as a link under the base path. */
export function siteUrl(href: string): string {
  return withBase(loadPortalData().meta.base, href);
}
