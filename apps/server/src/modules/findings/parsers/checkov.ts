import {
  asArray,
  asNumber,
  asObject,
  asString,
  asStrings,
  formatJsonPath,
  pick,
  streamJson,
} from './json-stream.ts';
import { identityKey, makeResult, optionalField } from './result-helpers.ts';
import type { NormalizedResult, ReportParser, Severity } from './types.ts';
import { ReportError } from './types.ts';

const SEVERITIES: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFO: 'info',
};

// Keys of a checkov report object: one framework's report, or the summary printed when nothing
// was scanned.
const REPORT_KEYS = new Set(['check_type', 'results', 'summary', 'passed', 'failed']);

/** Checkov JSON (one framework's report or an array of them): one result per failed check. */
export const checkovParser: ReportParser = {
  format: 'checkov',
  tool: 'checkov',
  identityVersion: 1,
  parse: parseCheckovReport,
};

async function* parseCheckovReport(filePath: string): AsyncGenerator<NormalizedResult> {
  let rootContainer: 'object' | 'array' | undefined;
  let isReport = false;
  const take = [
    ['results', 'failed_checks', '[]'],
    ['[]', 'results', 'failed_checks', '[]'],
  ];
  for await (const event of streamJson(filePath, { take })) {
    if (event.path.length === 0 && event.kind === 'value') {
      throw new ReportError('not a Checkov report: expected an object or an array of reports', {
        path: '$',
      });
    }
    if (event.kind === 'enter' && event.path.length === 0) rootContainer = event.container;
    else if (event.kind === 'key' && REPORT_KEYS.has(event.key)) isReport = true;
    else if (event.kind === 'value') yield toResult(event.value, formatJsonPath(event.path));
  }
  if (rootContainer === 'object' && !isReport) {
    throw new ReportError('not a Checkov report: no "check_type" or "results"', { path: '$' });
  }
}

function toResult(value: unknown, where: string): NormalizedResult {
  const check = asObject(value);
  const checkId = asString(check?.check_id);
  const file = asString(check?.file_path) ?? asString(check?.repo_file_path);
  if (check === undefined || checkId === undefined || file === undefined) {
    throw new ReportError(`${where}: a failed check needs "check_id" and "file_path"`, {
      path: where,
    });
  }
  const resource = asString(check.resource);
  const line = asNumber(asArray(check.file_line_range)[0]);
  const guideline = asString(check.guideline);
  const checkName = asString(check.check_name);
  const vulnerabilityId = asString(pick(check, 'vulnerability_details', 'id'));
  const description = [
    asString(check.description) ?? asString(check.short_description) ?? checkName,
    ...asStrings(check.details),
  ].filter((part) => part !== undefined);
  return makeResult({
    category: 'configuration',
    identityKey: identityKey('config', checkId, file, resource),
    title: checkName ?? checkId,
    // Checkov leaves `severity` null unless the scan is connected to its platform.
    severity: SEVERITIES[asString(check.severity)?.toUpperCase() ?? ''] ?? 'medium',
    ruleId: checkId,
    vulnerabilityIds: vulnerabilityId === undefined ? [] : [vulnerabilityId],
    ...optionalField('packageName', asString(pick(check, 'vulnerability_details', 'package_name'))),
    ...optionalField(
      'packageVersion',
      asString(pick(check, 'vulnerability_details', 'package_version')),
    ),
    description: description.join('\n\n'),
    references: guideline === undefined ? [] : [guideline],
    locations: [
      {
        file,
        ...optionalField('line', line !== undefined && line >= 1 ? line : undefined),
        ...optionalField('path', resource),
      },
    ],
    tool: 'checkov',
  });
}
