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
import type { ArrivalState, NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';

// ERROR/WARNING/INFO are the levels of tfsec before 0.40.
const SEVERITIES: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  ERROR: 'high',
  MEDIUM: 'medium',
  WARNING: 'medium',
  LOW: 'low',
  INFO: 'low',
};

/** tfsec JSON: one result per failed check; identity (rule, file, resource). */
export const tfsecParser: ReportParser = {
  format: 'tfsec',
  tool: 'tfsec',
  identityVersion: 1,
  parse: parseTfsecReport,
};

async function* parseTfsecReport(filePath: string): AsyncGenerator<NormalizedResult> {
  let hasResults = false;
  for await (const event of streamJson(filePath, { take: [['results', '[]']] })) {
    if (event.path.length === 0 && isNonObjectRoot(event)) {
      throw new ReportError('not a tfsec report: expected an object with "results"', {
        path: '$',
      });
    }
    if (event.kind === 'key' && event.key === 'results') hasResults = true;
    else if (event.kind === 'value') {
      const result = toResult(event.value, formatJsonPath(event.path));
      if (result !== undefined) yield result;
    }
  }
  // tfsec writes `"results": null` when it finds nothing, which the walker reports as no values.
  if (!hasResults) throw new ReportError('not a tfsec report: no "results"', { path: '$' });
}

function toResult(value: unknown, where: string): NormalizedResult | undefined {
  const check = asObject(value);
  const ruleId = asString(check?.long_id) ?? asString(check?.rule_id);
  const file = asString(pick(check, 'location', 'filename'));
  if (check === undefined || ruleId === undefined || file === undefined) {
    throw new ReportError(`${where}: a result needs "rule_id" and "location.filename"`, {
      path: where,
    });
  }
  const state = arrivalState(check.status);
  if (state === 'passed') return undefined;
  const severityText = asString(check.severity)?.toUpperCase() ?? '';
  const severity = SEVERITIES[severityText];
  if (severity === undefined) {
    throw new ReportError(`${where}.severity: unknown severity "${severityText}"`, {
      path: `${where}.severity`,
    });
  }
  const description = asString(check.description);
  // Before 1.0 the resource was only named inside the description.
  const resource = asString(check.resource) ?? /^Resource '([^']+)'/.exec(description ?? '')?.[1];
  const line = asNumber(pick(check, 'location', 'start_line'));
  const impact = asString(check.impact);
  const shortId = asString(check.rule_id);
  const legacyId = asString(check.legacy_rule_id);
  const otherIds = [shortId, legacyId].filter((id) => id !== undefined && id !== ruleId);
  const details = [
    description,
    impact === undefined ? undefined : `Impact: ${impact}`,
    otherIds.length === 0 ? undefined : `Also known as ${otherIds.join(', ')}.`,
  ].filter((part) => part !== undefined);
  return makeResult({
    category: 'configuration',
    identityKey: identityKey('config', ruleId, file, resource ?? `line:${line ?? ''}`),
    title: asString(check.rule_description) ?? ruleId,
    severity,
    ruleId,
    description: details.join('\n\n'),
    ...optionalField('remediation', asString(check.resolution)),
    references: asStrings(check.links),
    locations: [{ file, ...optionalField('line', line), ...optionalField('path', resource) }],
    arrivalState: state,
    ...optionalField(
      'arrivalReason',
      state === 'risk_accepted' ? 'ignored with a tfsec:ignore comment' : undefined,
    ),
    tool: 'tfsec',
  });
}

/** tfsec 1.x writes the status as a number (0 failed, 1 passed, 2 ignored), earlier as text. */
function arrivalState(status: unknown): ArrivalState | 'passed' {
  if (status === 1 || status === 'passed') return 'passed';
  if (status === 2 || status === 'ignored') return 'risk_accepted';
  return 'open';
}
