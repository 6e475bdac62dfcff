import {
  asNumber,
  asObject,
  asObjects,
  asString,
  pick,
  readJsonFile,
  type JsonObject,
} from './json-stream.ts';
import {
  derivePurl,
  identityKey,
  makeResult,
  optionalField,
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
  type NormalizedResult,
  type ReportParser,
} from './types.ts';

/**
 * Dependabot alerts exported through GitHub's GraphQL API (`vulnerabilityAlerts` of a repository,
 * of search results or of an organisation's repositories). Fixed alerts arrive as `fixed`,
 * dismissed ones as `false_positive` or `risk_accepted` by their dismiss reason.
 */
export const githubDependabotParser: ReportParser = {
  format: 'github-dependabot',
  tool: 'github-dependabot',
  identityVersion: 1,
  parse: parseDependabot,
};

interface Alert {
  node: JsonObject;
  repository?: string;
}

// Deeper than any GraphQL export of alerts; bounds the walk over an unexpected document.
const MAX_SEARCH_DEPTH = 8;

async function* parseDependabot(filePath: string): AsyncGenerator<NormalizedResult> {
  const report = asObject(await readJsonFile(filePath));
  if (report === undefined) {
    throw new ReportError('not a GitHub Dependabot export: the top level is not an object');
  }
  const errors = asObjects(report.errors)
    .map((error) => asString(error.message))
    .filter((message): message is string => message !== undefined);
  if (errors.length > 0 && asObject(report.data) === undefined) {
    throw new ReportError(`GitHub API error: ${errors.join('; ')}`, undefined, true);
  }
  const alerts: Alert[] = [];
  const found = collectAlerts(report.data, undefined, alerts, 0);
  if (!found) {
    throw new ReportError(
      'not a GitHub Dependabot export: there is no `vulnerabilityAlerts` under `data`',
      { path: 'data' },
    );
  }
  for (const alert of alerts) yield convert(alert);
}

/** Gathers alerts from every `vulnerabilityAlerts` connection; true when there was at least one. */
function collectAlerts(
  value: unknown,
  repository: string | undefined,
  alerts: Alert[],
  depth: number,
): boolean {
  if (depth > MAX_SEARCH_DEPTH) return false;
  if (Array.isArray(value)) {
    let found = false;
    for (const item of value) found = collectAlerts(item, repository, alerts, depth + 1) || found;
    return found;
  }
  const object = asObject(value);
  if (object === undefined) return false;
  const owner = asString(object.nameWithOwner) ?? asString(object.name) ?? repository;
  const connection = asObject(object.vulnerabilityAlerts);
  if (connection !== undefined) {
    const nodes = [
      ...asObjects(connection.nodes),
      ...asObjects(connection.edges)
        .map((edge) => asObject(edge.node))
        .filter((node): node is JsonObject => node !== undefined),
    ];
    for (const node of nodes) alerts.push({ node, ...optionalField('repository', owner) });
    return true;
  }
  let found = false;
  for (const child of Object.values(object)) {
    found = collectAlerts(child, owner, alerts, depth + 1) || found;
  }
  return found;
}

function convert({ node, repository }: Alert): NormalizedResult {
  const vulnerability = asObject(node.securityVulnerability) ?? {};
  const advisory = asObject(vulnerability.advisory) ?? asObject(node.securityAdvisory) ?? {};
  const pkg = asObject(vulnerability.package) ?? {};
  const name = asString(pkg.name) ?? 'unknown';
  const ecosystem = asString(pkg.ecosystem)?.toLowerCase();
  const identifiers = asObjects(advisory.identifiers);
  const ghsa =
    asString(advisory.ghsaId) ??
    asString(identifiers.find((id) => asString(id.type) === 'GHSA')?.value);
  const ids = unique([ghsa, ...identifiers.map((identifier) => asString(identifier.value))]).filter(
    (id): id is string => id !== undefined,
  );
  const primary = ids[0] ?? asString(node.id) ?? 'unknown';
  // `vulnerableRequirements` is the manifest's requirement, such as `= 1.2.17`.
  const requirement = asString(node.vulnerableRequirements)?.replace(/^=\s*/, '');
  const fixVersion = asString(pick(vulnerability, 'firstPatchedVersion', 'identifier'));
  const cvss = pickCvss(cvssCandidates(advisory));
  const { state, reason } = arrivalOf(node);
  const manifest =
    asString(node.vulnerableManifestPath) ?? asString(node.vulnerableManifestFilename);
  const location = {
    ...optionalField('file', manifest),
    ...optionalField('path', repository),
  };

  return makeResult({
    category: 'dependency',
    identityKey: identityKey('dep', primary, `${ecosystem ?? ''}/${name}`, requirement),
    title: asString(advisory.summary) ?? `${primary} in ${name}`,
    severity:
      severityFromText(vulnerability.severity) ??
      severityFromText(advisory.severity) ??
      severityFromCvss(cvss) ??
      'info',
    vulnerabilityIds: ids,
    cwes: parseCwes(asObjects(pick(advisory, 'cwes', 'nodes')).map((cwe) => cwe.cweId)),
    ...cvss,
    packageName: name,
    ...optionalField('packageVersion', requirement),
    ...optionalField('purl', derivePurl(ecosystem, name, requirement)),
    ...optionalField('fixVersion', fixVersion),
    isFixAvailable: fixVersion !== undefined,
    ...optionalField('description', asString(advisory.description)),
    references: unique([
      ...asObjects(advisory.references).map((reference) => asString(reference.url)),
      asString(advisory.permalink),
    ]).filter((url): url is string => url !== undefined),
    locations: Object.keys(location).length === 0 ? [] : [location],
    arrivalState: state,
    ...optionalField('arrivalReason', reason),
    tool: 'github-dependabot',
  });
}

function cvssCandidates(advisory: JsonObject): CvssCandidate[] {
  const severities = asObject(advisory.cvssSeverities);
  const entries = [
    asObject(severities?.cvssV4),
    asObject(severities?.cvssV3),
    asObject(advisory.cvss),
  ];
  return entries
    .filter((entry): entry is JsonObject => entry !== undefined)
    .map((entry) => {
      const score = asNumber(entry.score);
      // GitHub writes a score of 0 and no vector when an advisory has no CVSS.
      return { vector: entry.vectorString, score: score === 0 ? undefined : score };
    });
}

function arrivalOf(node: JsonObject): { state: ArrivalState; reason?: string } {
  const state = asString(node.state)?.toUpperCase();
  const reason = asString(node.dismissReason);
  const comment = asString(node.dismissComment);
  const explanation = unique([reason, comment]).join(': ') || undefined;
  if (state === 'FIXED' || (state === undefined && asString(node.fixedAt) !== undefined)) {
    return { state: 'fixed' };
  }
  if (state === 'AUTO_DISMISSED') {
    return { state: 'risk_accepted', reason: explanation ?? 'auto-dismissed by a Dependabot rule' };
  }
  if (state === 'DISMISSED' || (state === undefined && asString(node.dismissedAt) !== undefined)) {
    // "inaccurate" and "not used" say the alert does not apply; every other reason
    // (tolerable risk, no bandwidth, fix started) keeps a real risk that was accepted.
    const isFalsePositive = /inaccurate|incorrect|not[_ ](actually )?used/i.test(reason ?? '');
    const arrival: ArrivalState = isFalsePositive ? 'false_positive' : 'risk_accepted';
    return explanation === undefined ? { state: arrival } : { state: arrival, reason: explanation };
  }
  return { state: 'open' };
}
