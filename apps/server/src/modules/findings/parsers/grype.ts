import {
  asObject,
  asObjects,
  asString,
  asStrings,
  formatJsonPath,
  isNonObjectRoot,
  pick,
  streamJsonBatches,
  type JsonObject,
  type JsonPath,
} from './json-stream.ts';
import {
  identityKey,
  makeResult,
  parseCwes,
  pickCvss,
  severityFromCvss,
  severityFromText,
  unique,
  type CvssCandidate,
} from './result-helpers.ts';
import {
  ReportError,
  type ArrivalState,
  type FindingLocation,
  type NormalizedResult,
  type ReportParser,
  type Severity,
} from './types.ts';

/** Anchore Grype JSON (`grype -o json`): one dependency finding per match, ignored matches with their state. */
export const grypeParser: ReportParser = {
  format: 'grype',
  tool: 'grype',
  identityVersion: 1,
  parse: parseGrype,
};

async function* parseGrype(filePath: string): AsyncGenerator<NormalizedResult> {
  const rootKeys: string[] = [];
  let hasMatches = false;
  for await (const batch of streamJsonBatches(filePath, {
    take: [
      ['matches', '[]'],
      ['ignoredMatches', '[]'],
    ],
  })) {
    for (const event of batch) {
      if (event.path.length === 0) {
        if (event.kind === 'key') rootKeys.push(event.key);
        else if (isNonObjectRoot(event)) {
          throw new ReportError('not a Grype report: the top level is not an object');
        }
        continue;
      }
      if (event.kind === 'enter' && event.path.length === 1 && event.path[0] === 'matches') {
        hasMatches = true;
      }
      if (event.kind !== 'value') continue;
      const match = asObject(event.value);
      if (match === undefined) throw notAnObject(event.path);
      yield event.path[0] === 'matches' ? convertMatch(match) : convertIgnored(match);
    }
  }
  if (!hasMatches) {
    const found = rootKeys.length === 0 ? 'none' : rootKeys.slice(0, 8).join(', ');
    throw new ReportError(
      `not a Grype report: there is no top-level \`matches\` list (top-level keys: ${found})`,
      { path: 'matches' },
    );
  }
}

function notAnObject(path: JsonPath): ReportError {
  return new ReportError(`${formatJsonPath(path)}: expected an object`, {
    path: formatJsonPath(path),
  });
}

/** Grype's own scale; Negligible is below Low and maps to info like Unknown. */
function grypeSeverity(text: unknown): Severity | undefined {
  const word = typeof text === 'string' ? text.toLowerCase() : '';
  if (word === 'negligible') return 'info';
  return severityFromText(text);
}

function convertMatch(
  match: JsonObject,
  arrival: { state: ArrivalState; reason?: string } = { state: 'open' },
): NormalizedResult {
  const vulnerability = asObject(match.vulnerability) ?? {};
  const artifact = asObject(match.artifact) ?? {};
  const related = asObjects(match.relatedVulnerabilities);
  const id = asString(vulnerability.id) ?? 'unknown';
  const name = asString(artifact.name);
  const version = asString(artifact.version);
  const type = asString(artifact.type);
  const fix = asObject(vulnerability.fix);
  const fixVersions = asStrings(fix?.versions);
  const fixState = asString(fix?.state);
  const cvss = pickCvss(
    [vulnerability, ...related].flatMap((entry) =>
      asObjects(entry.cvss).map((item): CvssCandidate => ({
        vector: item.vector,
        score: pick(item, 'metrics', 'baseScore'),
        ...(asString(item.version) === '3.0' ? { v3Version: '3.0' as const } : {}),
      })),
    ),
  );
  const relatedSeverity = related.map((entry) => grypeSeverity(entry.severity)).find(Boolean);
  const severity =
    grypeSeverity(vulnerability.severity) ?? severityFromCvss(cvss) ?? relatedSeverity ?? 'info';
  const description =
    asString(vulnerability.description) ??
    related.map((entry) => asString(entry.description)).find(Boolean);
  const locations = asObjects(artifact.locations).map((location): FindingLocation => {
    const entry: FindingLocation = {};
    const path = asString(location.path);
    if (path !== undefined) entry.file = path;
    const layer = asString(location.layerID);
    if (layer !== undefined) entry.path = `layer ${layer}`;
    return entry;
  });

  return makeResult({
    category: 'dependency',
    identityKey: identityKey('dep', id, `${type ?? ''}/${name ?? ''}`, version),
    title: `${id} in ${name ?? 'a package'}${version === undefined ? '' : ` ${version}`}`,
    severity,
    vulnerabilityIds: [id, ...related.map((entry) => asString(entry.id))].filter(
      (item): item is string => item !== undefined,
    ),
    cwes: parseCwes(asObjects(vulnerability.cwes).map((cwe) => cwe.cwe)),
    ...cvss,
    ...(name === undefined ? {} : { packageName: name }),
    ...(version === undefined ? {} : { packageVersion: version }),
    ...(asString(artifact.purl) === undefined ? {} : { purl: asString(artifact.purl) }),
    ...(fixVersions.length === 0 ? {} : { fixVersion: fixVersions.join(', ') }),
    isFixAvailable: fixState === 'fixed' && fixVersions.length > 0,
    ...(description === undefined ? {} : { description }),
    references: unique([
      asString(vulnerability.dataSource),
      ...asStrings(vulnerability.urls),
      ...related.flatMap((entry) => [asString(entry.dataSource), ...asStrings(entry.urls)]),
    ]).filter((reference): reference is string => reference !== undefined),
    locations,
    arrivalState: arrival.state,
    ...(arrival.reason === undefined ? {} : { arrivalReason: arrival.reason }),
    tool: 'grype',
  });
}

/** A match an ignore rule hid: a VEX `not_affected`/`fixed` rule keeps its status, others are accepted risks. */
function convertIgnored(match: JsonObject): NormalizedResult {
  const rules = asObjects(match.appliedIgnoreRules);
  const vexStatus = rules.map((rule) => asString(rule['vex-status'])).find(Boolean);
  const state: ArrivalState =
    vexStatus === 'not_affected'
      ? 'not_affected'
      : vexStatus === 'fixed'
        ? 'fixed'
        : 'risk_accepted';
  const reason = unique(
    rules.map(
      (rule) => asString(rule.reason) ?? asString(rule['vex-justification']) ?? describeRule(rule),
    ),
  ).join('; ');
  return convertMatch(match, { state, ...(reason === '' ? {} : { reason }) });
}

function describeRule(rule: JsonObject): string | undefined {
  const parts = Object.entries(rule)
    .filter(([, value]) => typeof value === 'string' && value !== '')
    .map(([key, value]) => `${key}=${String(value)}`);
  return parts.length === 0 ? undefined : `ignore rule ${parts.join(', ')}`;
}
