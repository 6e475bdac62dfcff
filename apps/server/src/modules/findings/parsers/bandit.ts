import {
  asNumber,
  asObject,
  asString,
  formatJsonPath,
  isNonObjectRoot,
  pick,
  streamJson,
} from './json-stream.ts';
import { identityKey, makeResult, optionalField, parseCwes } from './result-helpers.ts';
import type { NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';

const SEVERITIES: Record<string, Severity> = {
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNDEFINED: 'info',
};

/** Bandit JSON: one result per issue; identity (test id, file, line), as bandit has no fingerprint. */
export const banditParser: ReportParser = {
  format: 'bandit',
  tool: 'bandit',
  identityVersion: 1,
  parse: parseBanditReport,
};

async function* parseBanditReport(filePath: string): AsyncGenerator<NormalizedResult> {
  let hasResults = false;
  for await (const event of streamJson(filePath, { take: [['results', '[]']] })) {
    if (event.path.length === 0 && isNonObjectRoot(event)) {
      throw new ReportError('not a Bandit report: expected an object with "results"', {
        path: '$',
      });
    }
    if (event.kind === 'key' && event.key === 'results') hasResults = true;
    else if (event.kind === 'value') yield toResult(event.value, formatJsonPath(event.path));
  }
  if (!hasResults) throw new ReportError('not a Bandit report: no "results" array', { path: '$' });
}

function toResult(value: unknown, where: string): NormalizedResult {
  const issue = asObject(value);
  const testId = asString(issue?.test_id);
  const file = asString(issue?.filename);
  const line = asNumber(issue?.line_number);
  if (issue === undefined || testId === undefined || file === undefined) {
    throw new ReportError(`${where}: an issue needs "test_id" and "filename"`, { path: where });
  }
  const severityText = asString(issue.issue_severity)?.toUpperCase() ?? '';
  const severity = SEVERITIES[severityText];
  if (severity === undefined) {
    throw new ReportError(`${where}.issue_severity: unknown severity "${severityText}"`, {
      path: `${where}.issue_severity`,
    });
  }
  const text = asString(issue.issue_text);
  const testName = asString(issue.test_name);
  const confidence = asString(issue.issue_confidence);
  // Bandit counts columns from 0.
  const column = asNumber(issue.col_offset);
  const cwe = asNumber(pick(issue, 'issue_cwe', 'id'));
  const moreInfo = asString(issue.more_info);
  const description = [
    text,
    confidence === undefined ? undefined : `Confidence: ${confidence.toLowerCase()}.`,
  ].filter((part) => part !== undefined);
  return makeResult({
    category: 'code',
    identityKey: identityKey('code', testId, file, line),
    title: text ?? `${testId}${testName === undefined ? '' : ` ${testName}`}`,
    severity,
    ruleId: testId,
    cwes: cwe === undefined ? [] : parseCwes([cwe]),
    description: description.join('\n\n'),
    references: moreInfo === undefined ? [] : [moreInfo],
    locations: [
      {
        file,
        ...optionalField('line', line),
        ...optionalField('column', column === undefined ? undefined : column + 1),
      },
    ],
    tool: 'bandit',
  });
}
