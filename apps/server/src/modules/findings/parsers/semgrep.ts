import {
  asNumber,
  asObject,
  asString,
  asStrings,
  formatJsonPath,
  isNonObjectRoot,
  pick,
  streamJson,
} from './json-stream.ts';
import { identityKey, makeResult, optionalField } from './result-helpers.ts';
import type { NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';

// Semgrep's legacy levels are documented as INFO = low, WARNING = medium, ERROR = high; newer
// rules use the plain names.
const SEVERITIES: Record<string, Severity> = {
  CRITICAL: 'critical',
  ERROR: 'high',
  HIGH: 'high',
  WARNING: 'medium',
  MEDIUM: 'medium',
  INFO: 'low',
  LOW: 'low',
  EXPERIMENT: 'info',
  INVENTORY: 'info',
};

/** Semgrep JSON: one result per match; repeated matches of a rule share an identity. */
export const semgrepParser: ReportParser = {
  format: 'semgrep',
  tool: 'semgrep',
  identityVersion: 1,
  parse: parseSemgrepReport,
};

async function* parseSemgrepReport(filePath: string): AsyncGenerator<NormalizedResult> {
  let hasResults = false;
  for await (const event of streamJson(filePath, { take: [['results', '[]']] })) {
    if (event.kind === 'key' && event.key === 'results') hasResults = true;
    else if (event.path.length === 0 && isNonObjectRoot(event)) {
      throw new ReportError('not a Semgrep report: expected an object with "results"', {
        path: '$',
      });
    } else if (event.kind === 'value') {
      yield toResult(event.value, formatJsonPath(event.path));
    }
  }
  if (!hasResults) {
    throw new ReportError('not a Semgrep report: no "results" array', { path: '$' });
  }
}

function toResult(value: unknown, where: string): NormalizedResult {
  const result = asObject(value);
  const ruleId = asString(result?.check_id);
  const file = asString(result?.path);
  if (result === undefined || ruleId === undefined || file === undefined) {
    throw new ReportError(`${where}: a result needs "check_id" and "path"`, { path: where });
  }
  const extra = asObject(result.extra) ?? {};
  const metadata = asObject(extra.metadata) ?? {};
  const line = asNumber(pick(result, 'start', 'line'));
  const column = asNumber(pick(result, 'start', 'col'));
  const fingerprint = asString(extra.fingerprint);
  const severityText = asString(extra.severity)?.toUpperCase() ?? '';
  const severity = SEVERITIES[severityText];
  if (severity === undefined) {
    throw new ReportError(`${where}.extra.severity: unknown severity "${severityText}"`, {
      path: `${where}.extra.severity`,
    });
  }
  const fix = asString(extra.fix);
  const isIgnored = extra.is_ignored === true;
  return makeResult({
    category: 'code',
    identityKey: identityKey(
      'code',
      ruleId,
      file,
      // Semgrep prints "requires login" in place of the fingerprint for logged-out scans.
      fingerprint === undefined || fingerprint === 'requires login'
        ? `line:${line ?? ''}`
        : `fp:${fingerprint}`,
    ),
    title: ruleId,
    severity,
    ruleId,
    cwes: cweNumbers(metadata.cwe),
    ...optionalField('description', asString(extra.message)),
    ...optionalField('remediation', fix === undefined ? undefined : `Suggested fix:\n${fix}`),
    references: [
      ...asStrings(metadata.references),
      ...asStrings([metadata.references, metadata['source-rule-url'], metadata.shortlink]),
    ],
    locations: [{ file, ...optionalField('line', line), ...optionalField('column', column) }],
    arrivalState: isIgnored ? 'false_positive' : 'open',
    ...optionalField('arrivalReason', isIgnored ? 'ignored with a nosemgrep comment' : undefined),
    tool: 'semgrep',
  });
}

/** CWE numbers from `"CWE-79: Improper Neutralization ..."` or a list of such strings. */
function cweNumbers(value: unknown): number[] {
  const texts = Array.isArray(value) ? asStrings(value) : asStrings([value]);
  return texts.flatMap((text) =>
    [...text.matchAll(/CWE-(\d+)/gi)].map((match) => Number(match[1])),
  );
}
