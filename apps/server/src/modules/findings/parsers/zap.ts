import { SaxesParser } from 'saxes';
import { readTextChunks, refuseEmptyFile, reportSize } from './report-file.ts';
import { identityKey, makeResult, optionalField, parseCwes } from './result-helpers.ts';
import type { NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';
import { toXmlSyntaxError } from './xml-stream.ts';

// Longer texts are cut: one pathological element must not hold the whole file in memory.
const MAX_TEXT = 256 * 1024;

const RISK: Record<string, Severity> = { '3': 'high', '2': 'medium', '1': 'low', '0': 'info' };

interface Site {
  host: string;
}

interface AlertItem {
  fields: Map<string, string>;
  urls: Set<string>;
}

/** OWASP ZAP classic XML report: one result per alert type and site, its URLs as locations. */
export const zapParser: ReportParser = {
  format: 'zap',
  tool: 'zap',
  identityVersion: 1,
  parse: parseZapReport,
};

async function* parseZapReport(filePath: string): AsyncGenerator<NormalizedResult> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  const ready: NormalizedResult[] = [];
  let site: Site | undefined;
  let item: AlertItem | undefined;
  let text = '';
  let instanceUri = '';
  let hasRoot = false;

  const where = (): { line: number; column: number; path: string } => ({
    line: parser.line,
    column: parser.column + 1,
    path: stack.join('/'),
  });
  const appendText = (chunk: string): void => {
    if (text.length < MAX_TEXT) text += chunk.slice(0, MAX_TEXT - text.length);
  };

  parser.on('doctype', (doctype) => {
    // Entities are how XXE and entity-expansion attacks work; a ZAP report never declares any.
    if (/<!ENTITY/i.test(doctype)) {
      throw new ReportError('XML entity declarations are not allowed', where());
    }
  });
  parser.on('opentag', (tag) => {
    if (!hasRoot) {
      hasRoot = true;
      if (tag.name !== 'OWASPZAPReport') {
        throw new ReportError(
          `not a ZAP XML report: the root element is <${tag.name}>, expected <OWASPZAPReport>`,
          where(),
        );
      }
    }
    stack.push(tag.name);
    text = '';
    if (tag.name === 'site') {
      const host = attribute(tag.attributes, 'host') ?? hostOf(attribute(tag.attributes, 'name'));
      site = { host: host ?? '' };
    } else if (tag.name === 'alertitem') {
      item = { fields: new Map(), urls: new Set() };
    } else if (tag.name === 'instance') {
      instanceUri = '';
    }
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('closetag', (tag) => {
    const parent = stack.at(-2);
    if (item !== undefined) {
      if (tag.name === 'alertitem') {
        ready.push(toResult(item, site, where()));
        item = undefined;
      } else if (parent === 'alertitem') {
        // Old reports put a single <uri> on the alert itself.
        if (tag.name === 'uri') addUrl(item, text);
        else item.fields.set(tag.name, text.trim());
      } else if (parent === 'instance' && tag.name === 'uri') {
        instanceUri = text;
      } else if (tag.name === 'instance') {
        addUrl(item, instanceUri);
      }
    }
    if (tag.name === 'site') site = undefined;
    stack.pop();
    text = '';
  });

  if ((await reportSize(filePath)) === 0) refuseEmptyFile();
  try {
    for await (const chunk of readTextChunks(filePath)) {
      parser.write(chunk);
      yield* ready.splice(0);
    }
    parser.close();
  } catch (error) {
    throw asReportError(error, where());
  }
  yield* ready;
}

function toResult(
  item: AlertItem,
  site: Site | undefined,
  where: { line: number; column: number; path: string },
): NormalizedResult {
  const get = (name: string): string | undefined => {
    const value = item.fields.get(name);
    return value === undefined || value === '' ? undefined : value;
  };
  const ruleId = get('alertRef') ?? get('pluginid');
  if (ruleId === undefined) {
    throw new ReportError('alert item without <pluginid> or <alertRef>', where);
  }
  const host = site?.host ?? hostOf([...item.urls][0]) ?? '';
  const riskcode = get('riskcode') ?? '';
  const severity = RISK[riskcode];
  if (severity === undefined) {
    throw new ReportError(`alert ${ruleId}: unknown <riskcode> "${riskcode}"`, where);
  }
  return makeResult({
    category: 'dast',
    identityKey: identityKey('dast', ruleId, host),
    title: get('name') ?? get('alert') ?? `ZAP alert ${ruleId}`,
    severity,
    ruleId,
    cwes: parseCwes([get('cweid')]),
    ...optionalField(
      'description',
      joinText(htmlToText(get('desc')), htmlToText(get('otherinfo'))),
    ),
    ...optionalField('remediation', htmlToText(get('solution'))),
    references: extractUrls(get('reference')),
    locations: [...item.urls].map((url) => ({ url })),
    // ZAP's confidence 0 is its own "false positive" mark, set by a person in the desktop UI.
    arrivalState: get('confidence') === '0' ? 'false_positive' : 'open',
    tool: 'zap',
  });
}

function addUrl(item: AlertItem, uri: string): void {
  const url = uri.trim();
  if (url !== '') item.urls.add(url);
}

function attribute(attributes: Record<string, string>, name: string): string | undefined {
  const value = attributes[name];
  return value === undefined || value === '' ? undefined : value;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

// Newer ZAP versions escape HTML paragraphs into the text elements.
function htmlToText(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  const text = html
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .trim();
  return text === '' ? undefined : text;
}

function joinText(first: string | undefined, second: string | undefined): string | undefined {
  if (first === undefined) return second;
  return second === undefined ? first : `${first}\n\n${second}`;
}

// References come as <p>-separated URLs or, once the tags are stripped, glued together.
function extractUrls(reference: string | undefined): string[] {
  if (reference === undefined) return [];
  const urls = reference.match(/https?:\/\/.+?(?=https?:\/\/|[\s<"]|$)/g) ?? [];
  return [...new Set(urls)];
}

function asReportError(
  error: unknown,
  where: { line: number; column: number; path: string },
): unknown {
  if (error instanceof ReportError || !(error instanceof Error) || 'code' in error) return error;
  // saxes prefixes its messages with "line:column: "; the position goes into `where` instead.
  return toXmlSyntaxError(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), where);
}
