import { readFileSync } from 'node:fs';
let cached: any;
export function loadPortalData(): any {
  if (cached) return cached;
  const file = process.env.EVIDENT_PORTAL_DATA;
  if (!file) throw new Error('EVIDENT_PORTAL_DATA is not set');
  cached = JSON.parse(readFileSync(file, 'utf8'));
  return cached;
}
