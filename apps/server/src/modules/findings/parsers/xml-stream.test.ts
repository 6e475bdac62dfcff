import { describe, expect, it } from 'vitest';
import { catchReportError, useReportFiles } from './parser-test-helpers.ts';
import {
  streamXml,
  xmlChild,
  xmlChildren,
  xmlText,
  type StreamXmlOptions,
  type XmlEvent,
} from './xml-stream.ts';

const files = useReportFiles('xml-stream-');

function fixture(content: string): Promise<string> {
  return files.add(content, 'xml');
}

async function events(path: string, options: StreamXmlOptions): Promise<XmlEvent[]> {
  const all: XmlEvent[] = [];
  for await (const event of streamXml(path, options)) all.push(event);
  return all;
}

const takeItems: StreamXmlOptions = { take: (path) => path.at(-1) === 'item' };

describe('streamXml', () => {
  it('reports the root, then each taken element built whole with local names', async () => {
    const path = await fixture(
      [
        '<?xml version="1.0"?>',
        '<r:report xmlns:r="urn:test" xmlns:x="urn:x" version="2">',
        '  <r:items>',
        '    <r:item x:id="1"><r:name>first &amp; best</r:name><r:note><![CDATA[<raw>]]></r:note></r:item>',
        '    <r:item x:id="2"><r:name>second</r:name></r:item>',
        '  </r:items>',
        '</r:report>',
      ].join('\n'),
    );
    const all = await events(path, takeItems);
    expect(all[0]).toMatchObject({
      kind: 'root',
      element: { name: 'report', namespace: 'urn:test', attributes: { version: '2' } },
    });
    const items = all.filter((event) => event.kind === 'element');
    expect(items.map((event) => event.path)).toEqual([
      ['report', 'items', 'item'],
      ['report', 'items', 'item'],
    ]);
    const first = items[0]?.element;
    expect(first?.attributes).toEqual({ id: '1' });
    expect(first?.line).toBe(4);
    expect(xmlText(first, 'name')).toBe('first & best');
    expect(xmlText(first, 'note')).toBe('<raw>');
    expect(xmlChildren(first, 'name')).toHaveLength(1);
    expect(xmlChild(first, 'missing')).toBeUndefined();
    expect(xmlText(items[1]?.element, 'name')).toBe('second');
  });

  it('refuses a DOCTYPE that declares entities (XXE)', async () => {
    const path = await fixture(
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE report [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
        '<report><item>&xxe;</item></report>',
      ].join('\n'),
    );
    const error = await catchReportError(() => events(path, takeItems));
    expect(error.message).toBe('the XML declares entities in its DOCTYPE, which is refused');
  });

  it('refuses entity-expansion bombs the same way', async () => {
    const path = await fixture(
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><report>&lol2;</report>',
    );
    expect((await catchReportError(() => events(path, takeItems))).message).toMatch(
      /declares entities/,
    );
  });

  it('accepts a DOCTYPE without entity declarations', async () => {
    const path = await fixture('<!DOCTYPE report><report><item>ok</item></report>');
    const items = (await events(path, takeItems)).filter((event) => event.kind === 'element');
    expect(items.map((event) => xmlText(event.element))).toEqual(['ok']);
  });

  it('never resolves an undeclared entity', async () => {
    const error = await catchReportError(async () =>
      events(await fixture('<report>\n<item>&ext;</item></report>'), takeItems),
    );
    expect(error.message).toMatch(/^invalid XML at line 2, column \d+: undefined entity/);
    expect(error.where?.line).toBe(2);
  });

  it('says a file that stops in the middle looks truncated', async () => {
    const error = await catchReportError(async () =>
      events(await fixture('<report><items><item>one</item><item>tw'), takeItems),
    );
    expect(error.message).toMatch(/^the XML ends too early at line 1: the file looks truncated/);
  });

  it('refuses malformed XML with its position', async () => {
    const error = await catchReportError(async () =>
      events(await fixture('<report>\n  <item></other>\n</report>'), takeItems),
    );
    expect(error.message).toMatch(/^invalid XML at line 2, column \d+: /);
  });

  it('refuses zero-byte and blank files unless the format treats them as empty', async () => {
    const empty = await fixture('');
    const blank = await fixture('\n  \n');
    expect((await catchReportError(() => events(empty, takeItems))).message).toBe(
      'the file is empty',
    );
    expect((await catchReportError(() => events(blank, takeItems))).message).toBe(
      'the file is empty',
    );
    expect(await events(empty, { ...takeItems, emptyFile: 'nothing' })).toEqual([]);
    expect(await events(blank, { ...takeItems, emptyFile: 'nothing' })).toEqual([]);
  });
});
