// src/parse/xml.ts: the JSON form of XML, entity safety and positioned errors.
import { describe, expect, it } from 'vitest';
import { decodeXmlEntities, parseXml } from '../../src/parse/xml.ts';

describe('parseXml', () => {
  it('gives attributes as @name, text as #text, repeated elements as arrays, values as strings', () => {
    const r = parseXml('<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><c><v>1.10</v><v>2</v></c><h alg="SHA-256">ab</h><e/><t>true</t></bom>');
    expect(r).toEqual({
      ok: true,
      root: { name: 'bom', localName: 'bom', namespace: 'http://cyclonedx.org/schema/bom/1.5' },
      doc: { bom: { '@xmlns': 'http://cyclonedx.org/schema/bom/1.5', '@version': '1', c: { v: ['1.10', '2'] }, h: { '@alg': 'SHA-256', '#text': 'ab' }, e: '', t: 'true' } },
    });
  });

  it('drops namespace prefixes from element names and finds the root namespace by its prefix', () => {
    const r = parseXml('<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.4" xmlns:x="urn:x"><c:components><c:component x:a="1"/></c:components></c:bom>');
    expect(r.ok && r.root).toEqual({ name: 'c:bom', localName: 'bom', namespace: 'http://cyclonedx.org/schema/bom/1.4' });
    expect(r.ok && r.doc).toEqual({ bom: { '@xmlns:c': 'http://cyclonedx.org/schema/bom/1.4', '@xmlns:x': 'urn:x', components: { component: { '@x:a': '1' } } } });
  });

  it('decodes the predefined entities and character references, and nothing else', () => {
    const r = parseXml('<r a="&quot;x&quot; &amp; y">&lt;b&gt; &#65;&#x42; &unknown; &amp;lt;</r>');
    expect(r.ok && r.doc).toEqual({ r: { '@a': '"x" & y', '#text': '<b> AB &unknown; &lt;' } });
    expect(decodeXmlEntities('&#0; &#xD800; &#1114112;')).toBe('&#0; &#xD800; &#1114112;');
  });

  it('ignores comments and processing instructions', () => {
    const r = parseXml('<!-- <testcase> in a comment --><?pi x?><r><!-- c --><a>1</a></r>');
    expect(r.ok && r.doc).toEqual({ r: { a: '1' } });
  });

  it('refuses a DOCTYPE that declares entities, at the declaration, without expanding it', () => {
    const laughs = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) laughs.push(` <!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    laughs.push(']>', '<lolz>&lol9;</lolz>');
    const started = performance.now();
    const r = parseXml(laughs.join('\n'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(r).toEqual({ ok: false, code: 'evidence-xml-entities', message: expect.stringContaining('declares entities'), line: 3, column: 2 });
  });

  it('refuses an external entity (XXE)', () => {
    const r = parseXml('<!DOCTYPE r [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<r>&xxe;</r>');
    expect(r).toMatchObject({ ok: false, code: 'evidence-xml-entities', line: 2, column: 3 });
  });

  it('accepts a DOCTYPE without entity declarations, and ENTITY text outside the DOCTYPE', () => {
    expect(parseXml('<!DOCTYPE testsuites SYSTEM "junit.dtd">\n<testsuites/>').ok).toBe(true);
    expect(parseXml('<!-- <!DOCTYPE x [<!ENTITY a "b">]> --><r/>').ok).toBe(true);
    expect(parseXml('<r>&lt;!ENTITY a "b"&gt;</r>')).toMatchObject({ ok: true, doc: { r: '<!ENTITY a "b">' } });
  });

  it('reports malformed XML with the line and column of the parser', () => {
    expect(parseXml('<a>\n  <b>\n</a>')).toEqual({ ok: false, code: 'evidence-parse-error', message: expect.stringMatching(/^Malformed XML: Expected closing tag 'b'/), line: 3, column: 1 });
    // A truncated file is reported at its end.
    expect(parseXml('<testsuites>\n<testsuite>\n')).toEqual({
      ok: false,
      code: 'evidence-parse-error',
      message: 'Malformed XML: the document ends before <testsuite> is closed (unclosed: testsuites, testsuite); is it truncated?',
      line: 2,
      column: 12,
    });
    expect(parseXml('<a x="1" x="2"/>')).toMatchObject({ ok: false, code: 'evidence-parse-error', line: 1 });
    expect(parseXml('')).toMatchObject({ ok: false, code: 'evidence-parse-error' });
  });

  it('is deterministic', () => {
    const text = '<r b="2" a="1"><z>1</z><y>2</y><z>3</z></r>';
    expect(JSON.stringify(parseXml(text))).toBe(JSON.stringify(parseXml(text)));
  });
});
