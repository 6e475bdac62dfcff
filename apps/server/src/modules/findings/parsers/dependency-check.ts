import { asNumber } from './json-stream.ts';
import {
  identityKey,
  makeResult,
  optionalField,
  parseCwes,
  parsePurl,
  pickCvss,
  purlPackageKey,
  severityFromCvss,
  severityFromText,
  unique,
  type CvssCandidate,
  type PackageUrl,
} from './result-helpers.ts';
import {
  ReportError,
  type ArrivalState,
  type FindingLocation,
  type NormalizedResult,
  type ReportParser,
} from './types.ts';
import { streamXml, xmlChild, xmlChildren, xmlText, type XmlElement } from './xml-stream.ts';

/**
 * OWASP Dependency-Check XML reports: one dependency finding per vulnerability and dependency,
 * related copies of the dependency as further locations, suppressed vulnerabilities as false
 * positives (suppression files exist to silence false positives).
 */
export const dependencyCheckParser: ReportParser = {
  format: 'dependency-check',
  tool: 'dependency-check',
  identityVersion: 1,
  parse: parseDependencyCheck,
};

interface Package {
  key: string;
  name: string;
  version?: string;
  purl?: string;
}

const CVSS3_METRICS: [string, string, Record<string, string>][] = [
  [
    'AV',
    'attackVector',
    { NETWORK: 'N', ADJACENT_NETWORK: 'A', ADJACENT: 'A', LOCAL: 'L', PHYSICAL: 'P' },
  ],
  ['AC', 'attackComplexity', { LOW: 'L', HIGH: 'H' }],
  ['PR', 'privilegesRequired', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['UI', 'userInteraction', { NONE: 'N', REQUIRED: 'R' }],
  ['S', 'scope', { UNCHANGED: 'U', CHANGED: 'C' }],
  ['C', 'confidentialityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['I', 'integrityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['A', 'availabilityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
];

async function* parseDependencyCheck(filePath: string): AsyncGenerator<NormalizedResult> {
  for await (const event of streamXml(filePath, {
    take: (path) => path.length === 3 && path[1] === 'dependencies' && path[2] === 'dependency',
  })) {
    if (event.kind === 'root') {
      const { name, namespace, line } = event.element;
      if (name !== 'analysis' || !/dependency-?check/i.test(namespace)) {
        throw new ReportError(
          `not a Dependency-Check XML report: the root element is <${name}>, expected <analysis>`,
          { line, path: name },
        );
      }
      continue;
    }
    yield* convertDependency(event.element);
  }
}

function* convertDependency(dependency: XmlElement): Generator<NormalizedResult> {
  const pkg = packageOf(dependency);
  const locations = [
    dependency,
    ...xmlChildren(xmlChild(dependency, 'relatedDependencies'), 'relatedDependency'),
  ]
    .map((entry): FindingLocation => ({
      ...optionalField('file', xmlText(entry, 'filePath') ?? xmlText(entry, 'fileName')),
    }))
    .filter((location) => location.file !== undefined);

  const vulnerabilities: [XmlElement, ArrivalState][] = [
    ...xmlChildren(xmlChild(dependency, 'vulnerabilities'), 'vulnerability').map(
      (element): [XmlElement, ArrivalState] => [element, 'open'],
    ),
    ...xmlChildren(
      xmlChild(dependency, 'suppressedVulnerabilities'),
      'suppressedVulnerability',
    ).map((element): [XmlElement, ArrivalState] => [element, 'false_positive']),
  ];
  for (const [vulnerability, state] of vulnerabilities) {
    const id = xmlText(vulnerability, 'name') ?? 'unknown';
    const cvss = pickCvss(cvssCandidates(vulnerability));
    const fixVersion = unique(
      xmlChildren(xmlChild(vulnerability, 'vulnerableSoftware'), 'software')
        .filter((software) => software.attributes.vulnerabilityIdMatched === 'true')
        .map((software) => software.attributes.versionEndExcluding),
    ).join(', ');
    const notes = xmlText(vulnerability, 'notes');

    yield makeResult({
      category: 'dependency',
      identityKey: identityKey('dep', id, pkg.key, pkg.version),
      title: `${id} in ${pkg.name}${pkg.version === undefined ? '' : ` ${pkg.version}`}`,
      severity:
        severityFromText(xmlText(vulnerability, 'severity')) ?? severityFromCvss(cvss) ?? 'info',
      vulnerabilityIds: [id],
      cwes: parseCwes(
        xmlChildren(xmlChild(vulnerability, 'cwes'), 'cwe').map((cwe) => xmlText(cwe)),
      ),
      ...cvss,
      packageName: pkg.name,
      ...optionalField('packageVersion', pkg.version),
      ...optionalField('purl', pkg.purl),
      ...optionalField('fixVersion', fixVersion),
      isFixAvailable: fixVersion !== '',
      ...optionalField('description', xmlText(vulnerability, 'description')),
      references: xmlChildren(xmlChild(vulnerability, 'references'), 'reference')
        .map((reference) => xmlText(reference, 'url'))
        .filter((url): url is string => url !== undefined),
      locations,
      arrivalState: state,
      ...optionalField('arrivalReason', state === 'open' ? undefined : (notes ?? 'suppressed')),
      tool: 'dependency-check',
    });
  }
}

/** The package a dependency is, from its package URL when Dependency-Check identified one. */
function packageOf(dependency: XmlElement): Package {
  const identifiers = xmlChild(dependency, 'identifiers');
  const purls = xmlChildren(identifiers, 'package')
    .map((element) => ({ id: xmlText(element, 'id'), confidence: element.attributes.confidence }))
    .filter((entry) => entry.id !== undefined);
  const best = purls.find((entry) => /^HIGH(EST)?$/i.test(entry.confidence ?? '')) ?? purls[0];
  const purl = parsePurl(best?.id);
  if (purl !== undefined && best?.id !== undefined) {
    return {
      key: purlPackageKey(purl),
      name: displayName(purl),
      ...optionalField('version', purl.version),
      purl: best.id,
    };
  }
  const fileName = xmlText(dependency, 'fileName') ?? 'unknown';
  return { key: `file/${fileName}`, name: fileName };
}

function displayName(purl: PackageUrl): string {
  if (purl.namespace === undefined) return purl.name;
  return purl.type === 'maven'
    ? `${purl.namespace}:${purl.name}`
    : `${purl.namespace}/${purl.name}`;
}

function cvssCandidates(vulnerability: XmlElement): CvssCandidate[] {
  const candidates: CvssCandidate[] = [];
  const v4 = xmlChild(vulnerability, 'cvssV4');
  if (v4 !== undefined) {
    candidates.push({
      vector: xmlText(v4, 'vectorString') ?? xmlText(v4, 'vector'),
      score: asNumber(xmlText(v4, 'baseScore')),
    });
  }
  const v3 = xmlChild(vulnerability, 'cvssV3');
  if (v3 !== undefined) {
    const version = xmlText(v3, 'version') === '3.0' ? '3.0' : '3.1';
    const parts = CVSS3_METRICS.map(([metric, element, values]) => {
      const value = values[(xmlText(v3, element) ?? '').toUpperCase()];
      return value === undefined ? undefined : `${metric}:${value}`;
    });
    const vector =
      xmlText(v3, 'vectorString') ??
      (parts.every(Boolean) ? `CVSS:${version}/${parts.join('/')}` : undefined);
    candidates.push({ vector, score: asNumber(xmlText(v3, 'baseScore')), v3Version: version });
  }
  return candidates;
}
