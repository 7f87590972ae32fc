import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/portal/markdown.ts';
import { normaliseBase, portalData, slugify, type PartView, type PortalData } from '../../src/portal/view-model.ts';
import { removeDir } from '../helpers.ts';
import { CANARY, PRIVATE_VIOLATION, PUBLIC_VIOLATION, portalFixture, type PortalFixture } from './fixture.ts';

let fx: PortalFixture;
let internal: PortalData;
let publicData: PortalData;

beforeAll(async () => {
  fx = await portalFixture();
  internal = portalData(fx.report, fx.model, { public: false, now: fx.report.now, downloads: ['report.json'], offerFiles: true });
  publicData = portalData(fx.report, fx.model, { public: true, now: fx.report.now, downloads: ['report.json'], offerFiles: true });
});
afterAll(() => removeDir(fx.root));

const requirement = (data: PortalData, name: string) => data.requirementPages.find((r) => r.name === name)!;
const parts = (data: PortalData, name: string, project: string): PartView[] => requirement(data, name).results.find((r) => r.project?.name === project)!.parts;

describe('portalData: public filtering (SPEC section 9)', () => {
  it('keeps every confidential name, file name and hash out of the public view-model, and has them in the internal one', () => {
    const pub = JSON.stringify(publicData).toLowerCase();
    const int = JSON.stringify(internal).toLowerCase();
    for (const secret of fx.secrets) expect(pub, secret).not.toContain(secret.toLowerCase());
    expect(int).toContain(CANARY);
    expect(int).toContain(`canary-${CANARY}-body`);
  });

  it('shows a confidential project under a pseudonym, with statuses and counts only', () => {
    const page = publicData.projectPages.find((p) => p.name === 'Confidential project 1')!;
    expect(page).toBeDefined();
    expect(page.access).toBe('hidden');
    expect(page.contracts).toBeNull();
    expect(page.owner).toBeNull();
    expect(page.counts.FAILED).toBe(1);
    expect(page.evidence.map((e) => [e.kind, e.timestamp, e.path, e.sha256, e.commit, e.download])).toEqual([['junit', '2026-11-20T09:00:00.000Z', null, null, null, null]]);
    const review = parts(publicData, 'sec-review', 'Confidential project 1').find((p) => p.name === 'review')!;
    expect(review.status).toBe('PASSED');
    expect(review.proof).toMatchObject({ file: null, sha256: null, html: null, attachments: [] });
  });

  it('shows violations and proof bodies of public projects and proofs only', () => {
    const oss = parts(publicData, 'tests-ok', 'oss')[0];
    expect(oss.evaluation?.violations?.join('\n')).toContain(PUBLIC_VIOLATION);
    const product = requirement(publicData, 'product-review').results[0].parts.find((p) => p.type === 'policy')!;
    expect(product.project?.name).toBe('web');
    expect(product.evaluation?.violations).toBeNull();
    expect(product.message).not.toContain('junit.xml');
    expect(JSON.stringify(publicData)).not.toContain(PRIVATE_VIOLATION);
    expect(JSON.stringify(internal)).toContain(PRIVATE_VIOLATION);
    // review-api.md is not public: its facts show, its body does not; xss.md is public: its (sanitised) body shows.
    const api = parts(publicData, 'sec-review', 'api');
    expect(api.find((p) => p.name === 'review')!.proof).toMatchObject({ file: 'proofs/review-api.md', html: null });
    expect(api.find((p) => p.name === 'notes')!.proof!.html).toContain('a fine link');
  });

  it('offers downloads of public projects only in a public build, of everything in an internal one', () => {
    const downloads = (data: PortalData) => data.evidence.flatMap((g) => g.items).filter((e) => e.download).map((e) => e.path);
    expect(downloads(publicData)).toEqual(['evidence/oss/junit.xml']);
    expect(downloads(internal)).toContain(`evidence/secret-${CANARY}/${CANARY}-junit.xml`);
    expect(publicData.files.map((f) => f.source)).toEqual(['evidence/oss/junit.xml']);
  });

  it('leaves owners, approvers and exception rationales out of a public build', () => {
    expect(publicData.products[0].owner).toBeNull();
    expect(publicData.register.exceptions[0]).toMatchObject({ requirement: 'tests-ok', rationale: null, approvedBy: null, expires: '2026-12-31' });
    expect(internal.register.exceptions[0]).toMatchObject({ rationale: 'Flaky suite, tracked in QA-7', approvedBy: 'cto@acme.example' });
    expect(publicData.register.items.every((i) => i.owner === null)).toBe(true);
  });
});

describe('portalData: due soon', () => {
  it('lists evidence and proofs that expire within 30 days', () => {
    expect(internal.dueSoon.map((d) => [d.kind, d.requirement, d.project?.name, d.date, d.days])).toEqual([['evidence', 'tests-ok', 'api', '2026-11-27T09:00:00.000Z', 5]]);
  });

  it('lists exceptions that end within 30 days, through the end of their day', () => {
    const at = (now: string) => portalData(fx.report, fx.model, { public: false, now, downloads: [] }).dueSoon.filter((d) => d.kind === 'exception');
    expect(at('2026-11-22T00:00:00Z')).toEqual([]);
    const soon = at('2026-12-10T00:00:00Z');
    expect(soon.map((d) => [d.requirement, d.project?.name, d.date, d.days])).toEqual([['tests-ok', 'web', '2026-12-31T23:59:59.999Z', 21]]);
    expect(at('2027-01-01T00:00:00Z')).toEqual([]);
  });

  it('puts failing results in the register with their due dates, soonest first', () => {
    const items = internal.register.items;
    expect(items[0]).toMatchObject({ requirement: 'sec-review', status: 'EXPIRED', due: '2026-01-01T00:00:00.000Z', overdue: true });
    expect(items.find((i) => i.status === 'EXCEPTION')).toMatchObject({ requirement: 'tests-ok', underlying: 'FAILED', due: '2026-12-31T23:59:59.999Z', overdue: false });
    expect(items.at(-1)!.due).toBeNull();
  });
});

describe('portalData: shape', () => {
  it('is deterministic', () => {
    const again = portalData(fx.report, fx.model, { public: false, now: fx.report.now, downloads: ['report.json'], offerFiles: true });
    expect(JSON.stringify(again)).toBe(JSON.stringify(internal));
  });

  it('gives every control and requirement a page, with the explanation of how it is addressed', () => {
    expect(internal.controlPages.map((c) => c.href)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => `products/acme/frameworks/demo/${c}/`));
    expect(internal.controlPages[0].explanation).toBe('C1 none: no mapped requirement passes');
    expect(internal.requirementPages.map((r) => r.name)).toEqual(['inactive-req', 'product-review', 'sbom-req', 'sec-review', 'tests-ok', 'vuln-high']);
    expect(internal.history).toBeNull();
  });

  it('draws history only when given', () => {
    const data = portalData(fx.report, fx.model, {
      public: false,
      now: fx.report.now,
      downloads: [],
      history: [
        { commit: 'b'.repeat(40), date: '2026-11-20T00:00:00Z', products: [{ name: 'acme', score: 0.5, frameworks: [{ name: 'demo', score: 0.5 }] }] },
        { commit: 'a'.repeat(40), date: '2026-11-01T00:00:00Z', products: [{ name: 'acme', score: null, frameworks: [{ name: 'demo', score: 0.25 }] }] },
      ],
    });
    const h = data.history!.products[0];
    expect(h.rows.map((r) => r.scores)).toEqual([[null, 0.25], [0.5, 0.5]]);
    expect(h.chart.series[1].lines).toHaveLength(1);
    expect(h.chart.series[0].lines).toHaveLength(0);
    expect(h.chart.series[0].dots).toHaveLength(1);
  });

  it('slugs and base paths', () => {
    expect(slugify('A.5.1')).toBe('a.5.1');
    expect(slugify('(2)(a)')).toBe('2-a');
    expect(slugify('..')).toBe('item');
    expect(normaliseBase('trust')).toBe('/trust/');
    expect(normaliseBase('')).toBe('/');
  });
});

describe('renderMarkdown', () => {
  it('renders proofs inert: no script, no event handlers, no javascript: links', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="javascript:alert(3)">raw</a> [md](javascript:alert(4)) [ok](https://example.org)\n\n![remote](https://tracker.example/p.png)');
    expect(html).not.toMatch(/<script|onerror|javascript:|<img/i);
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>');
    expect(html).toContain('remote');
  });

  it('shifts headings and prefixes footnote ids', () => {
    const html = renderMarkdown('# Title\n\nText[^1].\n\n[^1]: Note.', { headingOffset: 3, idPrefix: 'p-' });
    expect(html).toContain('<h4>Title</h4>');
    expect(html).toContain('id="p-fn-1"');
    expect(html).toContain('href="#p-fn-1"');
    expect(html).not.toContain('id="footnote-label"');
  });

  it('links relative targets only where a resolver says so', () => {
    const html = renderMarkdown('[a](threat.pdf) [b](other.pdf)', { resolveLink: (u) => (u === 'threat.pdf' ? '/files/threat.pdf' : null) });
    expect(html).toBe('<p><a href="/files/threat.pdf">a</a> b</p>');
  });
});
