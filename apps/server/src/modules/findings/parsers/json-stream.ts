import { none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import {
  readTextChunks,
  readWholeText,
  refuseEmptyFile,
  reportSize,
  type EmptyFilePolicy,
} from './report-file.ts';
import { ReportError } from './types.ts';

/** One step of a JSON path: an object key or an array index. */
export type JsonPathSegment = string | number;

/** Where a value sits in a JSON document, from the root. */
export type JsonPath = readonly JsonPathSegment[];

/** A path pattern: literal keys or indexes, `'*'` for any object key, `'[]'` for any array index. */
export type JsonPattern = readonly JsonPathSegment[];

/** A JSON object after parsing. */
export type JsonObject = Record<string, unknown>;

/**
 * What `streamJson` reports, in document order:
 * - `value`: a value matching a `take` pattern, assembled whole (or the root when it is a scalar);
 * - `enter` / `leave`: a container on the way to a pattern (the root always);
 * - `key`: a key of the root object, so a parser can say which format a file looks like.
 */
export type JsonEvent =
  | { kind: 'value'; path: JsonPath; value: unknown }
  | { kind: 'enter'; path: JsonPath; container: 'object' | 'array' }
  | { kind: 'leave'; path: JsonPath; container: 'object' | 'array' }
  | { kind: 'key'; path: JsonPath; key: string };

/** Options of `streamJson`. */
export interface StreamJsonOptions {
  /** Paths of the values to assemble and report; every other value is skipped unassembled. */
  take: readonly JsonPattern[];
  /** What a zero-byte or whitespace-only file means (default: an error). */
  emptyFile?: EmptyFilePolicy;
}

/** stream-chain stages take `none` to flush, though their declared input type leaves it out. */
type FlushableStage<Output> = (input: string | typeof none) => Output;

// Text is tokenized 16 KiB at a time. The values assembled from one piece stay alive while its
// events are handled; with larger pieces enough of them are still alive at each young-generation
// collection that V8 promotes them (and then allocates their kind directly in the old generation),
// so a large report fills the old generation with garbage and the process's memory grows.
const STREAM_CHUNK_BYTES = 16 * 1024;

// Deeper documents are refused: no scanner nests this deep, and the limit bounds the work per token.
const MAX_DEPTH = 512;

interface Frame {
  path: JsonPathSegment[];
  container: 'object' | 'array';
  key: string;
  index: number;
}

/**
 * Streams a JSON report: only values matching `take` are assembled, so memory follows the largest
 * single matched value, never the file. Syntax errors become a `ReportError` with line and column.
 */
export async function* streamJson(
  filePath: string,
  options: StreamJsonOptions,
): AsyncGenerator<JsonEvent, void, undefined> {
  for await (const batch of streamJsonBatches(filePath, options)) yield* batch;
}

/**
 * `streamJson` in batches: the events of each chunk of the file (about 16 KiB) at once, which
 * spares an asynchronous step per event on large reports.
 */
export async function* streamJsonBatches(
  filePath: string,
  options: StreamJsonOptions,
): AsyncGenerator<JsonEvent[], void, undefined> {
  if ((await reportSize(filePath)) === 0) {
    if (options.emptyFile === 'nothing') return;
    refuseEmptyFile();
  }
  const tokenize = flushable(jsonParser({ packValues: true, streamValues: false }));
  const walker = new JsonWalker(options.take);
  let failure: unknown;
  for await (const chunk of readTextChunks(filePath, STREAM_CHUNK_BYTES)) {
    try {
      const tokens = tokenize(chunk);
      if (tokens !== none) walker.consume(tokens.values);
    } catch (error) {
      failure = error;
      break;
    }
    const events = walker.takeEvents();
    if (events.length > 0) yield events;
  }
  if (failure === undefined) {
    try {
      const tokens = tokenize(none);
      if (tokens !== none) walker.consume(tokens.values);
    } catch (error) {
      failure = error;
    }
  }
  if (failure !== undefined) {
    if (failure instanceof ReportError) throw failure;
    if (!walker.hasSeenToken && (await isBlank(filePath))) {
      if (options.emptyFile === 'nothing') return;
      refuseEmptyFile();
    }
    throw await locateSyntaxError(readTextChunks(filePath), failure);
  }
  const events = walker.takeEvents();
  if (events.length > 0) yield events;
}

/**
 * Reads a whole (small) JSON report with `JSON.parse` after checking its size; syntax errors
 * become a `ReportError` with line and column. Returns `undefined` for an empty file when the
 * policy is `'nothing'`.
 */
export async function readJsonFile(
  filePath: string,
  emptyFile: EmptyFilePolicy = 'error',
): Promise<unknown> {
  const text = await readWholeText(filePath);
  if (text.trim() === '') {
    if (emptyFile === 'nothing') return undefined;
    refuseEmptyFile();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw await locateSyntaxError([text], error);
  }
}

/**
 * Whether an event at the top level (path `[]`) shows that the document is a scalar or an array
 * rather than an object; callers test the path first, so events below the top cost no call.
 */
export function isNonObjectRoot(event: JsonEvent): boolean {
  return event.kind === 'value' || (event.kind === 'enter' && event.container !== 'object');
}

/** Writes a path the way people read it: `runs[0].results[12].ruleIndex`. */
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(top level)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Whether a path matches a pattern of the same length. */
export function matchesJsonPattern(pattern: JsonPattern, path: JsonPath): boolean {
  return pattern.length === path.length && startsWithPattern(pattern, path);
}

/** The value as a JSON object, or undefined when it is not one. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The value as an array, or an empty array when it is not one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The value as a non-empty trimmed string (numbers are written out), or undefined. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The value as a finite number (numeric strings included), or undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** The non-empty strings of an array value. */
export function asStrings(value: unknown): string[] {
  return asArray(value)
    .map(asString)
    .filter((item): item is string => item !== undefined);
}

/** The objects of an array value. */
export function asObjects(value: unknown): JsonObject[] {
  return asArray(value)
    .map(asObject)
    .filter((item): item is JsonObject => item !== undefined);
}

/** Follows keys through nested objects: `pick(value, 'a', 'b')` is `value.a.b` or undefined. */
export function pick(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    const object = asObject(current);
    if (object === undefined) return undefined;
    current = object[key];
  }
  return current;
}

function flushable<Output>(stage: (input: string) => Output): FlushableStage<Output> {
  return stage as FlushableStage<Output>;
}

function startsWithPattern(pattern: JsonPattern, path: JsonPath): boolean {
  for (let i = 0; i < path.length; i += 1) {
    const want = pattern[i];
    const have = path[i];
    if (want === '*') {
      if (typeof have !== 'string') return false;
    } else if (want === '[]') {
      if (typeof have !== 'number') return false;
    } else if (want !== have) {
      return false;
    }
  }
  return true;
}

class JsonWalker {
  hasSeenToken = false;
  private readonly stack: Frame[] = [];
  private events: JsonEvent[] = [];
  private assembler: Assembler | undefined;
  private assembling: JsonPath = [];
  private skipDepth = 0;
  private depth = 0;

  constructor(private readonly patterns: readonly JsonPattern[]) {}

  takeEvents(): JsonEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  consume(tokens: readonly Token[]): void {
    for (const token of tokens) this.step(token);
  }

  private step(token: Token): void {
    this.hasSeenToken = true;
    const name = token.name;
    if (name === 'startObject' || name === 'startArray') {
      this.depth += 1;
      if (this.depth > MAX_DEPTH) {
        throw new ReportError(`the JSON nests deeper than ${MAX_DEPTH} levels`);
      }
    } else if (name === 'endObject' || name === 'endArray') {
      this.depth -= 1;
    }

    if (this.assembler !== undefined) {
      this.assembler.consume(token);
      if (this.assembler.done) {
        this.events.push({ kind: 'value', path: this.assembling, value: this.assembler.current });
        this.assembler = undefined;
        this.finishValue();
      }
      return;
    }
    if (this.skipDepth > 0) {
      if (name === 'startObject' || name === 'startArray') this.skipDepth += 1;
      else if (name === 'endObject' || name === 'endArray') {
        this.skipDepth -= 1;
        if (this.skipDepth === 0) this.finishValue();
      }
      return;
    }

    switch (token.name) {
      case 'keyValue': {
        const top = this.stack.at(-1);
        if (top !== undefined) {
          top.key = token.value;
          if (this.stack.length === 1)
            this.events.push({ kind: 'key', path: [], key: token.value });
        }
        return;
      }
      case 'endObject':
      case 'endArray': {
        const frame = this.stack.pop();
        if (frame !== undefined) {
          this.events.push({ kind: 'leave', path: frame.path, container: frame.container });
        }
        this.finishValue();
        return;
      }
      case 'startObject':
      case 'startArray':
        this.startContainer(token);
        return;
      case 'stringValue':
        this.scalar(token.value);
        return;
      case 'numberValue':
        this.scalar(Number(token.value));
        return;
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.scalar(token.value);
        return;
      default:
        return;
    }
  }

  private childPath(): JsonPathSegment[] {
    const top = this.stack.at(-1);
    if (top === undefined) return [];
    return [...top.path, top.container === 'object' ? top.key : top.index];
  }

  private relation(path: JsonPath): 'take' | 'enter' | 'skip' {
    let enter = path.length === 0;
    for (const pattern of this.patterns) {
      if (pattern.length < path.length || !startsWithPattern(pattern, path)) continue;
      if (pattern.length === path.length) return 'take';
      enter = true;
    }
    return enter ? 'enter' : 'skip';
  }

  private startContainer(token: Token): void {
    const path = this.childPath();
    const container = token.name === 'startObject' ? 'object' : 'array';
    const relation = this.relation(path);
    if (relation === 'take') {
      this.assembler = new Assembler();
      this.assembling = path;
      this.assembler.consume(token);
    } else if (relation === 'enter') {
      this.stack.push({ path, container, key: '', index: 0 });
      this.events.push({ kind: 'enter', path, container });
    } else {
      this.skipDepth = 1;
    }
  }

  private scalar(value: unknown): void {
    const path = this.childPath();
    if (path.length === 0 || this.relation(path) === 'take') {
      this.events.push({ kind: 'value', path, value });
    }
    this.finishValue();
  }

  private finishValue(): void {
    const top = this.stack.at(-1);
    if (top?.container === 'array') top.index += 1;
  }
}

async function isBlank(filePath: string): Promise<boolean> {
  for await (const chunk of readTextChunks(filePath)) {
    if (chunk.trim() !== '') return false;
  }
  return true;
}

/** Re-reads the text with stream-json's verifier, which knows the line and column of an error. */
async function locateSyntaxError(
  chunks: AsyncIterable<string> | Iterable<string>,
  cause: unknown,
): Promise<ReportError> {
  const verify = flushable(jsonVerifier());
  let length = 0;
  try {
    for await (const chunk of chunks) {
      length += chunk.length;
      verify(chunk);
    }
    verify(none);
  } catch (error) {
    return syntaxError(error, length);
  }
  return new ReportError(`invalid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
}

function syntaxError(error: unknown, inputLength: number): ReportError {
  const details = error as { message?: string; line?: number; pos?: number; offset?: number };
  const line = details.line;
  const column = details.pos;
  const reason = /(?:cannot parse input: |Verifier has )(.*)$/.exec(details.message ?? '')?.[1];
  const where = line !== undefined && column !== undefined ? { line, column } : undefined;
  const at = where === undefined ? '' : ` at line ${where.line}, column ${where.column}`;
  if (details.offset !== undefined && details.offset >= inputLength) {
    return new ReportError(`the JSON ends too early${at}: the file looks truncated`, where);
  }
  return new ReportError(`invalid JSON${at}: ${reason ?? 'syntax error'}`, where);
}
