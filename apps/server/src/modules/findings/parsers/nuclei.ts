import { asObject, asString, asStrings, formatJsonPath, streamJson } from './json-stream.ts';
import { readTextChunks } from './report-file.ts';
import { identityKey, makeResult, optionalField, parseCwes, pickCvss } from './result-helpers.ts';
import type { NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';

const SEVERITIES: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  unknown: 'info',
};

// A line longer than this is not a nuclei result; refusing it bounds memory.
const MAX_LINE_CHARS = 32 * 1024 * 1024;

/** Nuclei JSON lines (`-jsonl`) or JSON array (`-json-export`): one result per match. */
export const nucleiParser: ReportParser = {
  format: 'nuclei',
  tool: 'nuclei',
  identityVersion: 1,
  parse: parseNucleiReport,
};

async function* parseNucleiReport(filePath: string): AsyncGenerator<NormalizedResult> {
  const first = await firstCharacter(filePath);
  // Nuclei leaves the output file empty when nothing matched.
  if (first === undefined) return;
  if (first === '[') {
    for await (const event of streamJson(filePath, { take: [['[]']] })) {
      if (event.kind === 'value') yield toResult(event.value, formatJsonPath(event.path), {});
    }
    return;
  }
  let lineNumber = 0;
  for await (const line of readLines(filePath)) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ReportError(`invalid JSON on line ${lineNumber}: ${reason}`, { line: lineNumber });
    }
    yield toResult(value, `line ${lineNumber}`, { line: lineNumber });
  }
}

function toResult(value: unknown, where: string, position: { line?: number }): NormalizedResult {
  const result = asObject(value);
  const templateId = asString(result?.['template-id']) ?? asString(result?.templateID);
  if (result === undefined || templateId === undefined) {
    throw new ReportError(`${where}: not a nuclei result (no "template-id")`, {
      ...position,
      ...(position.line === undefined ? { path: where } : {}),
    });
  }
  const info = asObject(result.info) ?? {};
  const matcherName = asString(result['matcher-name']) ?? asString(result.matcher_name);
  const matchedAt = asString(result['matched-at']) ?? asString(result.matched);
  const name = asString(info.name) ?? templateId;
  const classification = asObject(info.classification) ?? {};
  const extracted = asStrings(result['extracted-results'] ?? result.extracted_results);
  const description = [
    asString(info.description),
    extracted.length === 0 ? undefined : `Extracted: ${extracted.join(', ')}`,
  ].filter((part) => part !== undefined);
  return makeResult({
    category: 'dast',
    identityKey: identityKey('dast', templateId, matcherName, asString(result.host) ?? matchedAt),
    title: matcherName === undefined ? name : `${name} (${matcherName})`,
    severity: SEVERITIES[asString(info.severity)?.toLowerCase() ?? 'unknown'] ?? 'info',
    ruleId: templateId,
    vulnerabilityIds: listOf(classification['cve-id']).map((id) => id.toUpperCase()),
    cwes: parseCwes(listOf(classification['cwe-id'])),
    ...pickCvss([{ vector: classification['cvss-metrics'], score: classification['cvss-score'] }]),
    description: description.join('\n\n'),
    ...optionalField('remediation', asString(info.remediation)),
    references: references(info.reference),
    locations: matchedAt === undefined ? [] : [{ url: matchedAt }],
    tool: 'nuclei',
  });
}

/** A list given as an array of strings or as one string. */
function listOf(value: unknown): string[] {
  return Array.isArray(value) ? asStrings(value) : asStrings([value]);
}

// Old templates give references as one YAML-ish string: "- https://a\n- https://b".
function references(value: unknown): string[] {
  const lines = listOf(value).flatMap((text) => text.split(/\r?\n|,\s*/));
  const urls = lines
    .map((line) => line.replace(/^\s*-\s*/, '').trim())
    .filter((line) => line !== '');
  return [...new Set(urls)];
}

async function firstCharacter(filePath: string): Promise<string | undefined> {
  for await (const chunk of readTextChunks(filePath)) {
    const match = /\S/.exec(chunk);
    if (match !== null) return match[0];
  }
  return undefined;
}

async function* readLines(filePath: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of readTextChunks(filePath)) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    if (rest.length > MAX_LINE_CHARS) {
      throw new ReportError(`a line is longer than ${MAX_LINE_CHARS} characters`);
    }
    for (const line of lines) yield line.replace(/\r$/, '');
  }
  yield rest.replace(/\r$/, '');
}
