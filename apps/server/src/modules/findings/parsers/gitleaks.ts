import { asNumber, asObject, asString, formatJsonPath, streamJson } from './json-stream.ts';
import { identityKey, makeResult, optionalField } from './result-helpers.ts';
import type { FindingLocation, NormalizedResult, ReportParser } from './types.ts';
import { ReportError } from './types.ts';

// CWE-798: Use of Hard-coded Credentials.
const HARD_CODED_CREDENTIALS = 798;

/** Gitleaks JSON (v8, and v7 field names): one result per leak; the secret itself is never kept. */
export const gitleaksParser: ReportParser = {
  format: 'gitleaks',
  tool: 'gitleaks',
  identityVersion: 1,
  parse: parseGitleaksReport,
};

async function* parseGitleaksReport(filePath: string): AsyncGenerator<NormalizedResult> {
  for await (const event of streamJson(filePath, { take: [['[]']] })) {
    if (event.kind === 'enter' && event.path.length === 0 && event.container !== 'array') {
      throw new ReportError('not a Gitleaks report: expected an array of leaks', { path: '$' });
    }
    if (event.kind !== 'value') continue;
    // Gitleaks writes `null` when it finds nothing.
    if (event.path.length === 0) {
      if (event.value === null) return;
      throw new ReportError('not a Gitleaks report: expected an array of leaks', { path: '$' });
    }
    yield toResult(event.value, formatJsonPath(event.path));
  }
}

function toResult(value: unknown, where: string): NormalizedResult {
  const leak = asObject(value);
  if (leak === undefined)
    throw new ReportError(`${where}: a leak must be an object`, { path: where });
  const ruleId = asString(leak.RuleID) ?? asString(leak.rule);
  const file = asString(leak.File) ?? asString(leak.file);
  if (ruleId === undefined || file === undefined) {
    throw new ReportError(`${where}: a leak needs "RuleID" and "File"`, { path: where });
  }
  const line = asNumber(leak.StartLine) ?? asNumber(leak.lineNumber);
  const column = asNumber(leak.StartColumn);
  const link = asString(leak.Link) ?? asString(leak.leakURL);
  const location: FindingLocation = {
    file,
    ...optionalField('line', line),
    ...optionalField('column', column),
    ...optionalField('url', link),
  };
  const kind = asString(leak.Description) ?? ruleId;
  const commit = asString(leak.Commit) ?? asString(leak.commit);
  const author = asString(leak.Author) ?? asString(leak.author);
  const date = asString(leak.Date) ?? asString(leak.date);
  // `Secret`, `Match` and v7's `offender`/`line` hold the secret: only a redacted hint is kept.
  const hint = redact(asString(leak.Secret) ?? asString(leak.offender));
  const details = [
    `${kind} found in ${file}${line === undefined ? '' : ` at line ${line}`}.`,
    hint === undefined ? undefined : `Secret: ${hint}.`,
    commit === undefined
      ? undefined
      : `Commit ${commit}${author === undefined ? '' : ` by ${author}`}${date === undefined ? '' : ` on ${date}`}.`,
  ];
  return makeResult({
    category: 'secret',
    identityKey: identityKey('secret', ruleId, file, line),
    title: `Hard-coded secret: ${kind}`,
    // Gitleaks has no severity; a leaked credential is treated as high until triaged.
    severity: 'high',
    ruleId,
    cwes: [HARD_CODED_CREDENTIALS],
    description: details.filter((part) => part !== undefined).join('\n'),
    remediation:
      'Revoke and rotate the secret, then remove it from the code and from the history of the repository.',
    references: link === undefined ? [] : [link],
    locations: [location],
    tool: 'gitleaks',
  });
}

/** At most the first four characters of a long secret, and its length; never the value. */
function redact(secret: string | undefined): string | undefined {
  if (secret === undefined || /^redacted$/i.test(secret)) return undefined;
  const characters = Array.from(secret);
  const prefix = characters.length >= 16 ? `${characters.slice(0, 4).join('')}… ` : '';
  return `${prefix}(${characters.length} characters)`;
}
