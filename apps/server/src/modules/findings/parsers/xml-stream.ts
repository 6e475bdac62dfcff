import { SaxesParser, type SaxesTagNS } from 'saxes';
import {
  readTextChunks,
  refuseEmptyFile,
  reportSize,
  type EmptyFilePolicy,
} from './report-file.ts';
import { ReportError } from './types.ts';

/** An element built with its descendants; names are local names, without namespace prefixes. */
export interface XmlElement {
  name: string;
  /** Namespace URI, `''` when none. */
  namespace: string;
  /** Attribute values by local name (namespace declarations left out). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside the element, untrimmed. */
  text: string;
  /** Line of the start tag, from 1. */
  line: number;
}

/**
 * What `streamXml` reports, in document order: the root element first (attributes only, no
 * children), then every element that `take` selected, built whole once its end tag is read.
 */
export type XmlEvent =
  | { kind: 'root'; element: XmlElement }
  | { kind: 'element'; path: readonly string[]; element: XmlElement };

/** Options of `streamXml`. */
export interface StreamXmlOptions {
  /**
   * Whether the element at `path` (local names from the root, the element's own last) is built
   * and reported; elements inside a taken one are part of it and not asked about.
   */
  take: (path: readonly string[]) => boolean;
  /** What a zero-byte or whitespace-only file means (default: an error). */
  emptyFile?: EmptyFilePolicy;
}

// Longer texts are cut so one pathological element cannot hold the whole file in memory.
const MAX_TEXT = 1024 * 1024;

/**
 * Streams an XML report with saxes. External entities are never resolved (saxes has no DTD
 * support), and a DOCTYPE that declares entities is refused outright.
 */
export async function* streamXml(
  filePath: string,
  options: StreamXmlOptions,
): AsyncGenerator<XmlEvent, void, undefined> {
  if ((await reportSize(filePath)) === 0) {
    if (options.emptyFile === 'nothing') return;
    refuseEmptyFile();
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  const building: XmlElement[] = [];
  let events: XmlEvent[] = [];
  // Set from saxes callbacks, which control-flow analysis does not follow.
  const seen = { root: false };
  let isBlank = true;

  parser.on('doctype', (doctype) => {
    // Entity declarations are how XXE and entity-expansion attacks start; no report needs them.
    if (/<!ENTITY/i.test(doctype)) {
      throw new ReportError('the XML declares entities in its DOCTYPE, which is refused', {
        line: parser.line,
      });
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const element: XmlElement = {
      name: tag.local,
      namespace: tag.uri,
      attributes: attributesOf(tag),
      children: [],
      text: '',
      line: parser.line,
    };
    path.push(tag.local);
    if (!seen.root) {
      seen.root = true;
      events.push({ kind: 'root', element: { ...element } });
    }
    const parent = building.at(-1);
    if (parent !== undefined) {
      parent.children.push(element);
      building.push(element);
    } else if (options.take(path)) {
      building.push(element);
    }
  });
  const appendText = (text: string): void => {
    const current = building.at(-1);
    if (current !== undefined && current.text.length < MAX_TEXT) {
      current.text += text.slice(0, MAX_TEXT - current.text.length);
    }
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('closetag', () => {
    const element = building.pop();
    if (element !== undefined && building.length === 0) {
      events.push({ kind: 'element', path: [...path], element });
    }
    path.pop();
  });

  const fail = (error: unknown): ReportError => {
    if (error instanceof ReportError) return error;
    if (!seen.root && isBlank) return new ReportError('the file is empty');
    const message = error instanceof Error ? error.message : String(error);
    const where = { line: parser.line, column: parser.column + 1, path: path.join('/') };
    return toXmlSyntaxError(message.replace(/^\d+:\d+: /, ''), where);
  };

  for await (const chunk of readTextChunks(filePath)) {
    if (isBlank && chunk.trim() !== '') isBlank = false;
    try {
      parser.write(chunk);
    } catch (error) {
      throw fail(error);
    }
    const ready = events;
    events = [];
    yield* ready;
  }
  try {
    parser.close();
  } catch (error) {
    const failure = fail(error);
    if (isBlank && !seen.root && options.emptyFile === 'nothing') return;
    throw failure;
  }
  yield* events;
}

/** The first child element with this local name. */
export function xmlChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((child) => child.name === name);
}

/** The child elements with this local name. */
export function xmlChildren(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((child) => child.name === name) ?? [];
}

/** The trimmed text of an element, or of the element reached through child names; undefined when empty. */
export function xmlText(element: XmlElement | undefined, ...names: string[]): string | undefined {
  let current = element;
  for (const name of names) current = xmlChild(current, name);
  const text = current?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

function attributesOf(tag: SaxesTagNS): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
    attributes[attribute.local] = attribute.value;
  }
  return attributes;
}

/**
 * The ReportError for a syntax error saxes reported at `where` (`reason` without saxes' position
 * prefix): a file cut short is told apart from one that is malformed.
 */
export function toXmlSyntaxError(
  reason: string,
  where: { line: number; column: number; path: string },
): ReportError {
  if (/unclosed|unexpected end|must contain a root/i.test(reason)) {
    return new ReportError(
      `the XML ends too early at line ${where.line}: the file looks truncated (${reason})`,
      where,
    );
  }
  return new ReportError(
    `invalid XML at line ${where.line}, column ${where.column}: ${reason}`,
    where,
  );
}
