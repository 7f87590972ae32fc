// The pages' one source of data: the view model. buildPortal hands it over in
// memory (Astro prerenders the pages in the same process), registered under
// PORTAL_DATA_KEY for the length of the build; without it (e.g. `astro dev`),
// the view-model JSON named by EVIDENT_PORTAL_DATA is read once. getStaticPaths
// of every route maps over it (the fastest, leanest feeding at 10k pages; see
// docs/portal.md).
import { readFileSync } from 'node:fs';
import { withBase } from './format.ts';
import type { PortalData } from './view-model.ts';

export const DATA_ENV = 'EVIDENT_PORTAL_DATA';
/** Where buildPortal puts the view model while Astro builds (a global: the pages run from Astro's bundle, not this module). */
export const PORTAL_DATA_KEY = Symbol.for('evident.portalData');

let cached: { file: string; data: PortalData } | undefined;

export function loadPortalData(): PortalData {
  const given = (globalThis as Record<symbol, PortalData | undefined>)[PORTAL_DATA_KEY];
  if (given !== undefined) return given;
  const file = process.env[DATA_ENV];
  if (!file) throw new Error(`${DATA_ENV} is not set: the portal pages are built by buildPortal() (src/portal/build-portal.ts), which hands them the view model.`);
  if (cached?.file !== file) cached = { file, data: JSON.parse(readFileSync(file, 'utf8')) as PortalData };
  return cached.data;
}

/** A site-relative href ("products/acme/") as a link under the base path. */
export function siteUrl(href: string): string {
  return withBase(loadPortalData().meta.base, href);
}
