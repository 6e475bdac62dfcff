import {
  asArray,
  asNumber,
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
  parseCwes,
  pickCvss,
  severityFromCvss,
  severityFromScore,
  severityFromText,
  unique,
  type CvssCandidate,
  optionalField,
} from './result-helpers.ts';
import { ReportError, type NormalizedResult, type ReportParser, type Severity } from './types.ts';

/**
 * osv-scanner JSON (`--format json`): one dependency finding per package and alias group (the
 * OSV, GHSA and CVE records osv-scanner groups as one vulnerability). A zero-byte file is a scan
 * that found nothing: osv-scanner writes no output then.
 */
export const osvScannerParser: ReportParser = {
  format: 'osv-scanner',
  tool: 'osv-scanner',
  identityVersion: 1,
  parse: parseOsvScanner,
};

async function* parseOsvScanner(filePath: string): AsyncGenerator<NormalizedResult> {
  const parsed = await readJsonFile(filePath, 'nothing');
  if (parsed === undefined) return;
  const report = asObject(parsed);
  if (report === undefined || !Array.isArray(report.results)) {
    throw new ReportError('not an osv-scanner report: there is no top-level `results` list', {
      path: 'results',
    });
  }
  for (const source of asObjects(report.results)) {
    const sourcePath = asString(pick(source, 'source', 'path'));
    for (const entry of asObjects(source.packages)) {
      yield* convertPackage(entry, sourcePath);
    }
  }
}

function* convertPackage(
  entry: JsonObject,
  sourcePath: string | undefined,
): Generator<NormalizedResult> {
  const pkg = asObject(entry.package) ?? {};
  const name = asString(pkg.name) ?? asString(pkg.commit) ?? 'unknown';
  const version = asString(pkg.version) ?? asString(pkg.commit);
  const ecosystem = asString(pkg.ecosystem);
  const vulnerabilities = new Map<string, JsonObject>();
  for (const vulnerability of asObjects(entry.vulnerabilities)) {
    const id = asString(vulnerability.id);
    if (id !== undefined) vulnerabilities.set(id, vulnerability);
  }
  const groups = asObjects(entry.groups);
  const grouped =
    groups.length > 0
      ? groups.map((group) => ({
          ids: asStrings(group.ids),
          aliases: asStrings(group.aliases),
          maxSeverity: asNumber(group.max_severity),
        }))
      : [...vulnerabilities.keys()].map((id) => ({
          ids: [id],
          aliases: [],
          maxSeverity: undefined,
        }));

  for (const group of grouped) {
    const records = group.ids
      .map((id) => vulnerabilities.get(id))
      .filter((record): record is JsonObject => record !== undefined);
    const primary = group.ids[0] ?? asString(records[0]?.id) ?? 'unknown';
    const cvss = pickCvss(records.flatMap(cvssCandidates));
    const fixed = unique(records.flatMap((record) => fixedVersions(record, name)));
    const summary = records.map((record) => asString(record.summary)).find(Boolean);
    const details = records.map((record) => asString(record.details)).find(Boolean);
    const location = sourcePath === undefined ? [] : [{ file: sourcePath }];

    yield makeResult({
      category: 'dependency',
      identityKey: identityKey('dep', primary, `${ecosystem ?? ''}/${name}`, version),
      title: summary ?? `${primary} in ${name}`,
      severity: groupSeverity(group.ids, group.maxSeverity, records, cvss),
      vulnerabilityIds: [
        ...group.ids,
        ...group.aliases,
        ...records.flatMap((record) => asStrings(record.aliases)),
      ],
      cwes: parseCwes(records.flatMap(cweValues)),
      ...cvss,
      packageName: name,
      ...(version === undefined ? {} : { packageVersion: version }),
      ...optionalField('purl', derivePurl(ecosystem?.split(':')[0], name, version)),
      ...(fixed.length === 0 ? {} : { fixVersion: fixed.join(', ') }),
      isFixAvailable: fixed.length > 0,
      ...optionalField('description', details),
      references: unique(
        records.flatMap((record) => asObjects(record.references).map((ref) => asString(ref.url))),
      ).filter((url): url is string => url !== undefined),
      locations: location,
      tool: 'osv-scanner',
    });
  }
}

function groupSeverity(
  ids: string[],
  maxSeverity: number | undefined,
  records: JsonObject[],
  cvss: ReturnType<typeof pickCvss>,
): Severity {
  if (maxSeverity !== undefined) return severityFromScore(maxSeverity);
  const fromCvss = severityFromCvss(cvss);
  if (fromCvss !== undefined) return fromCvss;
  const fromDatabase = records
    .flatMap((record) => [
      pick(record, 'database_specific', 'severity'),
      ...asObjects(record.affected).map((affected) =>
        pick(affected, 'ecosystem_specific', 'severity'),
      ),
    ])
    .map(severityFromText)
    .find(Boolean);
  if (fromDatabase !== undefined) return fromDatabase;
  // MAL- records are malicious packages: installing one is a compromise, whatever the score.
  if (ids.some((id) => id.startsWith('MAL-'))) return 'critical';
  return 'info';
}

function cvssCandidates(record: JsonObject): CvssCandidate[] {
  return [
    ...asObjects(record.severity),
    ...asObjects(record.affected).flatMap((affected) => asObjects(affected.severity)),
  ]
    .filter((entry) => /^CVSS_V[34]$/.test(asString(entry.type) ?? ''))
    .map((entry) => ({ vector: entry.score }));
}

function cweValues(record: JsonObject): unknown[] {
  return [
    ...asArray(pick(record, 'database_specific', 'cwe_ids')),
    ...asObjects(record.affected).flatMap((affected) =>
      asObjects(pick(affected, 'database_specific', 'cwes')).map((cwe) => cwe.cweId),
    ),
  ];
}

function fixedVersions(record: JsonObject, name: string): string[] {
  return asObjects(record.affected)
    .filter((affected) => {
      const affectedName = asString(pick(affected, 'package', 'name'));
      return affectedName === undefined || affectedName === name;
    })
    .flatMap((affected) => asObjects(affected.ranges))
    .flatMap((range) => asObjects(range.events))
    .map((event) => asString(event.fixed))
    .filter((version): version is string => version !== undefined);
}
