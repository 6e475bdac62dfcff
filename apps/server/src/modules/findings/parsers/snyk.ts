import {
  asObject,
  asObjects,
  asString,
  asStrings,
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
} from './result-helpers.ts';
import {
  ReportError,
  type ArrivalState,
  type NormalizedResult,
  type ReportParser,
} from './types.ts';

/**
 * `snyk test --json` (one project) and `--all-projects` (a list of projects): one dependency
 * finding per vulnerability and package version, each dependency path a location; ignored issues
 * arrive as accepted risks (or `not_affected` when ignored as not vulnerable).
 */
export const snykParser: ReportParser = {
  format: 'snyk',
  tool: 'snyk',
  identityVersion: 1,
  parse: parseSnyk,
};

interface Ignore {
  state: ArrivalState;
  reason?: string;
}

async function* parseSnyk(filePath: string): AsyncGenerator<NormalizedResult> {
  const report = await readJsonFile(filePath);
  const projects = Array.isArray(report) ? asObjects(report) : [asObject(report)];
  if (projects.length === 0 && Array.isArray(report)) return;
  for (const project of projects) {
    if (project === undefined) {
      throw new ReportError('not a Snyk report: expected an object or a list of projects');
    }
    const error = asString(project.error);
    if (error !== undefined) throw new ReportError(error, undefined, true);
    if (!Array.isArray(project.vulnerabilities)) {
      throw new ReportError('not a Snyk report: a project has no `vulnerabilities` list', {
        path: 'vulnerabilities',
      });
    }
    const targetFile = asString(project.displayTargetFile) ?? asString(project.targetFile);
    const packageManager = asString(project.packageManager);
    for (const vulnerability of asObjects(project.vulnerabilities)) {
      const result = convert(vulnerability, packageManager, targetFile, undefined);
      if (result !== undefined) yield result;
    }
    for (const ignored of asObjects(pick(project, 'filtered', 'ignore'))) {
      const result = convert(ignored, packageManager, targetFile, ignoreOf(ignored));
      if (result !== undefined) yield result;
    }
  }
}

function ignoreOf(vulnerability: JsonObject): Ignore {
  const rules = asObjects(pick(vulnerability, 'filtered', 'ignored'));
  const reason = unique(rules.map((rule) => asString(rule.reason))).join('; ');
  const types = rules.map((rule) => asString(rule.reasonType));
  const state: ArrivalState = types.includes('not-vulnerable') ? 'not_affected' : 'risk_accepted';
  return reason === '' ? { state } : { state, reason };
}

function convert(
  vulnerability: JsonObject,
  packageManager: string | undefined,
  targetFile: string | undefined,
  ignore: Ignore | undefined,
): NormalizedResult | undefined {
  // License issues share the list but are policy findings, not vulnerabilities.
  if (asString(vulnerability.type) === 'license') return undefined;
  const id = asString(vulnerability.id) ?? 'unknown';
  const name = asString(vulnerability.packageName) ?? asString(vulnerability.name) ?? 'unknown';
  const version = asString(vulnerability.version);
  const ecosystem = asString(vulnerability.packageManager) ?? packageManager;
  const identifiers = asObject(vulnerability.identifiers) ?? {};
  const fixedIn = asStrings(vulnerability.fixedIn);
  // The first upgrade in the path is the one to make: that of the project's direct dependency.
  const upgradeTo =
    vulnerability.isUpgradable === true ? asStrings(vulnerability.upgradePath)[0] : undefined;
  const cvss = pickCvss([
    { vector: vulnerability.CVSSv3, score: vulnerability.cvssScore },
    ...asObjects(vulnerability.cvssDetails).map((detail) => ({
      vector: detail.cvssV3Vector,
      score: detail.cvssV3BaseScore,
    })),
    ...asObjects(vulnerability.cvssSources).map((source) => ({
      vector: source.vector,
      score: source.baseScore,
    })),
  ]);
  const from = asStrings(vulnerability.from);
  const location = {
    ...optionalField('file', targetFile),
    ...optionalField('path', from.length === 0 ? undefined : from.join(' > ')),
  };

  return makeResult({
    category: 'dependency',
    identityKey: identityKey('dep', id, `${ecosystem ?? ''}/${name}`, version),
    title: asString(vulnerability.title) ?? `${id} in ${name}`,
    severity:
      severityFromText(vulnerability.severityWithCritical) ??
      severityFromText(vulnerability.severity) ??
      severityFromCvss(cvss) ??
      'info',
    vulnerabilityIds: [id, ...asStrings(identifiers.CVE), ...asStrings(identifiers.GHSA)],
    cwes: parseCwes(asStrings(identifiers.CWE)),
    ...cvss,
    packageName: name,
    ...optionalField('packageVersion', version),
    ...optionalField('purl', derivePurl(ecosystem, name, version)),
    ...optionalField('fixVersion', fixedIn.length === 0 ? undefined : fixedIn.join(', ')),
    isFixAvailable:
      vulnerability.isUpgradable === true ||
      vulnerability.isPatchable === true ||
      fixedIn.length > 0,
    ...optionalField('description', asString(vulnerability.description)),
    ...optionalField(
      'remediation',
      upgradeTo === undefined ? undefined : `Upgrade to ${upgradeTo}.`,
    ),
    references: asObjects(vulnerability.references)
      .map((reference) => asString(reference.url))
      .filter((url): url is string => url !== undefined),
    locations: Object.keys(location).length === 0 ? [] : [location],
    arrivalState: ignore?.state ?? 'open',
    ...optionalField('arrivalReason', ignore?.reason),
    tool: 'snyk',
  });
}
