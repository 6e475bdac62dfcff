import {
  asArray,
  asNumber,
  asObject,
  asObjects,
  asString,
  asStrings,
  readJsonFile,
  type JsonObject,
} from './json-stream.ts';
import {
  identityKey,
  makeResult,
  parseCwes,
  pickCvss,
  severityFromText,
  unique,
  optionalField,
} from './result-helpers.ts';
import {
  ReportError,
  type FindingLocation,
  type NormalizedResult,
  type ReportParser,
} from './types.ts';

/**
 * `npm audit --json`: npm 6 (`advisories`, one result per advisory and installed version) and
 * npm 7+ (`vulnerabilities`, one result per advisory and package). npm's error output is refused
 * with npm's own message.
 */
export const npmAuditParser: ReportParser = {
  format: 'npm-audit',
  tool: 'npm-audit',
  identityVersion: 1,
  parse: parseNpmAudit,
};

async function* parseNpmAudit(filePath: string): AsyncGenerator<NormalizedResult> {
  const report = asObject(await readJsonFile(filePath));
  if (report === undefined) {
    throw new ReportError('not an npm audit report: the top level is not an object');
  }
  refuseToolError(report);
  if (report.vulnerabilities !== undefined || report.auditReportVersion !== undefined) {
    yield* convertVersion7(report);
  } else if (report.advisories !== undefined) {
    yield* convertVersion6(report);
  } else {
    throw new ReportError(
      'not an npm audit report: expected `advisories` (npm 6) or `vulnerabilities` (npm 7 and later)',
    );
  }
}

function refuseToolError(report: JsonObject): void {
  const error = report.error;
  if (error === undefined || error === null) return;
  const details = asObject(error);
  const code = asString(details?.code);
  const message = unique([
    asString(details?.summary),
    asString(details?.detail),
    asString(details?.message),
    asString(error),
    asString(report.message),
  ]).join(' ');
  const text = message === '' ? 'npm audit failed' : message;
  throw new ReportError(code === undefined ? text : `${code}: ${text}`, undefined, true);
}

function* convertVersion6(report: JsonObject): Generator<NormalizedResult> {
  const advisories = asObject(report.advisories);
  if (advisories === undefined) {
    throw new ReportError('not an npm audit report: `advisories` is not an object', {
      path: 'advisories',
    });
  }
  for (const advisory of Object.values(advisories).map(asObject)) {
    if (advisory === undefined) continue;
    const name = asString(advisory.module_name) ?? 'unknown';
    const npmId = asString(advisory.id);
    const ghsa = /GHSA-[\w-]+/i.exec(asString(advisory.url) ?? '')?.[0];
    const ids = unique([
      ...asStrings(advisory.cves),
      ghsa,
      asString(advisory.github_advisory_id),
      npmId === undefined ? undefined : `NPM-${npmId}`,
    ]).filter((id): id is string => id !== undefined);
    const primary = ids[0] ?? 'unknown';
    const patched = asString(advisory.patched_versions);
    const hasFix = patched !== undefined && patched !== '<0.0.0';
    const cvss = pickCvss([
      { vector: asString(advisory.cvss) ?? advisory.cvss_vector, score: advisory.cvss_score },
    ]);
    for (const finding of asObjects(advisory.findings)) {
      const version = asString(finding.version);
      const locations = asStrings(finding.paths).map((path): FindingLocation => ({
        path: path.split('>').join(' > '),
      }));
      yield makeResult({
        category: 'dependency',
        identityKey: identityKey('dep', primary, `npm/${name}`, version),
        title: asString(advisory.title) ?? `${primary} in ${name}`,
        severity: severityFromText(advisory.severity) ?? 'info',
        vulnerabilityIds: ids,
        cwes: parseCwes([advisory.cwe, ...asArray(advisory.cwe)]),
        ...cvss,
        packageName: name,
        ...(version === undefined ? {} : { packageVersion: version }),
        purl: version === undefined ? `pkg:npm/${name}` : `pkg:npm/${name}@${version}`,
        ...(hasFix ? { fixVersion: patched } : {}),
        isFixAvailable: hasFix,
        ...optionalField('description', asString(advisory.overview)),
        ...optionalField('remediation', asString(advisory.recommendation)),
        references: unique([
          asString(advisory.url),
          ...(asString(advisory.references) ?? '')
            .split(/\s+/)
            .map((reference) => reference.replace(/^[-*]\s*/, ''))
            .filter((reference) => /^https?:\/\//.test(reference)),
        ]).filter((reference): reference is string => reference !== undefined),
        locations,
        tool: 'npm-audit',
      });
    }
  }
}

function* convertVersion7(report: JsonObject): Generator<NormalizedResult> {
  const vulnerabilities = asObject(report.vulnerabilities);
  if (vulnerabilities === undefined) {
    throw new ReportError('not an npm audit report: `vulnerabilities` is not an object', {
      path: 'vulnerabilities',
    });
  }
  for (const [key, value] of Object.entries(vulnerabilities)) {
    const entry = asObject(value);
    if (entry === undefined) continue;
    const name = asString(entry.name) ?? key;
    const fix = entry.fixAvailable;
    const fixObject = asObject(fix);
    const fixName = asString(fixObject?.name);
    const fixVersion = asString(fixObject?.version);
    const remediation =
      fixObject === undefined
        ? undefined
        : `Update ${fixName ?? name} to ${fixVersion ?? 'a fixed version'}` +
          (fixObject.isSemVerMajor === true ? ' (a semver-major update).' : '.');
    const locations = asStrings(entry.nodes).map((node): FindingLocation => ({ path: node }));
    // `via` entries that are strings name the vulnerable dependency this package pulls in; that
    // dependency has its own entry with the advisory, so only advisory objects become results.
    for (const advisory of asObjects(entry.via)) {
      const url = asString(advisory.url);
      const ghsa = /GHSA-[\w-]+/i.exec(url ?? '')?.[0];
      const source = asString(advisory.source);
      const ids = unique([ghsa, source === undefined ? undefined : `NPM-${source}`]).filter(
        (id): id is string => id !== undefined,
      );
      const primary = ids[0] ?? 'unknown';
      // npm writes a score of 0 with a null vector when the advisory has no CVSS.
      const score = asNumber(asObject(advisory.cvss)?.score);
      const cvss = pickCvss([
        { vector: pickVector(advisory.cvss), score: score === 0 ? undefined : score },
      ]);
      const range = asString(advisory.range) ?? asString(entry.range);
      yield makeResult({
        category: 'dependency',
        // npm 7+ reports no installed version, only the vulnerable range: the key leaves it empty.
        identityKey: identityKey('dep', primary, `npm/${name}`, ''),
        title: asString(advisory.title) ?? `${primary} in ${name}`,
        severity: severityFromText(advisory.severity) ?? severityFromText(entry.severity) ?? 'info',
        vulnerabilityIds: ids,
        cwes: parseCwes(asArray(advisory.cwe)),
        ...cvss,
        packageName: name,
        purl: `pkg:npm/${name}`,
        ...(fixObject !== undefined && fixName === name && fixVersion !== undefined
          ? { fixVersion }
          : {}),
        isFixAvailable: fix === true || fixObject !== undefined,
        ...optionalField(
          'description',
          range === undefined ? undefined : `Vulnerable versions of ${name}: ${range}`,
        ),
        ...optionalField('remediation', remediation),
        references: url === undefined ? [] : [url],
        locations,
        tool: 'npm-audit',
      });
    }
  }
}

function pickVector(cvss: unknown): string | undefined {
  return asString(asObject(cvss)?.vectorString);
}
