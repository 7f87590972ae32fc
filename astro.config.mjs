// Minimal on purpose: `evident build` (src/portal/build-portal.ts) runs Astro's
// programmatic build() with the real configuration inline (temporary outDir
// and cacheDir, base path, no integrations) and ignores this file. It is here
// for working on the pages with `astro dev`, given a view-model JSON:
//   EVIDENT_PORTAL_DATA=/path/to/portal-data.json npx astro dev
import { defineConfig } from 'astro/config';

export default defineConfig({
  srcDir: './src',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
