import {
  asArray,
  asNumber,
  asObject,
  asObjects,
  asString,
  formatJsonPath,
  isNonObjectRoot,
  pick,
  streamJsonBatches,
  type JsonObject,
} from './json-stream.ts';
import {
  identityKey,
  makeResult,
  optionalField,
  parseCwes,
  parsePurl,
  pickCvss,
  purlPackageKey,
  severityFromCvss,
  severityFromScore,
  severityFromText,
  unique,
  type CvssCandidate,
} from './result-helpers.ts';
import {
  ReportError,
  type ArrivalState,
  type NormalizedResult,
  type ReportParser,
  type Severity,
} from './types.ts';
import { streamXml, xmlChild, xmlChildren, xmlText, type XmlElement } from './xml-stream.ts';

/** CycloneDX JSON BOMs (1.4–1.6) with vulnerabilities, VEX analysis states included. */
export const cyclonedxJsonParser: ReportParser = {
  format: 'cyclonedx-json',
  tool: 'cyclonedx',
  identityVersion: 1,
  parse: parseCyclonedxJson,
};

/** CycloneDX XML BOMs: 1.4–1.6 vulnerabilities and the older vulnerability extension (`v:`). */
export const cyclonedxXmlParser: ReportParser = {
  format: 'cyclonedx-xml',
  tool: 'cyclonedx',
  identityVersion: 1,
  parse: parseCyclonedxXml,
};

interface Component {
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
}

interface Rating {
  severity?: string;
  score?: number;
  method?: string;
  vector?: string;
}

/** A vulnerability in the same shape whichever of the JSON and XML forms it came from. */
interface Vulnerability {
  id?: string;
  sourceUrl?: string;
  referenceIds: string[];
  referenceUrls: string[];
  ratings: Rating[];
  cwes: unknown[];
  description?: string;
  detail?: string;
  recommendation?: string;
  analysis?: { state?: string; justification?: string; detail?: string };
  /** bom-refs of the affected components. */
  affects: string[];
  tools: string[];
}

const ANALYSIS_STATES: Record<string, ArrivalState> = {
  not_affected: 'not_affected',
  false_positive: 'false_positive',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'open',
  in_triage: 'open',
};

async function* parseCyclonedxJson(filePath: string): AsyncGenerator<NormalizedResult> {
  const components = new Map<string, Component>();
  const rootKeys: string[] = [];
  let bomFormat: unknown;
  let tools: string[] = [];
  // Components may follow the vulnerabilities in the file: a first pass reads only them.
  for await (const batch of streamJsonBatches(filePath, {
    take: [['bomFormat'], ['components', '[]'], ['metadata', 'component'], ['metadata', 'tools']],
  })) {
    for (const event of batch) {
      if (event.path.length === 0) {
        if (event.kind === 'key') rootKeys.push(event.key);
        else if (isNonObjectRoot(event)) {
          throw new ReportError('not a CycloneDX BOM: the top level is not an object');
        }
        continue;
      }
      if (event.kind !== 'value') continue;
      const [first, second] = event.path;
      if (first === 'bomFormat') bomFormat = event.value;
      else if (first === 'metadata' && second === 'tools') tools = jsonToolNames(event.value);
      else addJsonComponent(components, event.value);
    }
  }
  if (bomFormat !== 'CycloneDX') {
    throw new ReportError(
      `not a CycloneDX BOM: \`bomFormat\` is ${bomFormat === undefined ? 'missing' : JSON.stringify(bomFormat)}, expected "CycloneDX"`,
      { path: 'bomFormat' },
    );
  }
  if (!rootKeys.includes('vulnerabilities')) return;

  for await (const batch of streamJsonBatches(filePath, { take: [['vulnerabilities', '[]']] })) {
    for (const event of batch) {
      if (event.kind !== 'value') continue;
      const object = asObject(event.value);
      if (object === undefined) {
        const where = formatJsonPath(event.path);
        throw new ReportError(`${where}: expected an object`, { path: where });
      }
      yield* convert(readJsonVulnerability(object), components, tools);
    }
  }
}

async function* parseCyclonedxXml(filePath: string): AsyncGenerator<NormalizedResult> {
  const components = new Map<string, Component>();
  let tools: string[] = [];
  for await (const event of streamXml(filePath, {
    take: (path) =>
      path.length === 3 &&
      ((path[1] === 'components' && path[2] === 'component') ||
        (path[1] === 'metadata' && (path[2] === 'component' || path[2] === 'tools'))),
  })) {
    if (event.kind === 'root') {
      const { name, namespace } = event.element;
      if (name !== 'bom' || !/cyclonedx\.org\/schema\/bom/i.test(namespace)) {
        throw new ReportError(
          `not a CycloneDX XML BOM: the root element is <${name}>${namespace === '' ? '' : ` in ${namespace}`}`,
          { line: event.element.line, path: name },
        );
      }
      continue;
    }
    if (event.element.name === 'tools') tools = xmlToolNames(event.element);
    else addXmlComponent(components, event.element);
  }

  for await (const event of streamXml(filePath, {
    take: (path) => path.at(-1) === 'vulnerability' && path.at(-2) === 'vulnerabilities',
  })) {
    if (event.kind === 'element') {
      yield* convert(readXmlVulnerability(event.element), components, tools);
    }
  }
}

function* convert(
  vulnerability: Vulnerability,
  components: Map<string, Component>,
  bomTools: string[],
): Generator<NormalizedResult> {
  const id = vulnerability.id ?? 'unknown';
  const cvss = pickCvss(
    vulnerability.ratings.map((rating): CvssCandidate => ({
      vector: /cvss/i.test(rating.method ?? 'cvss') ? rating.vector : undefined,
      score: rating.score,
      ...(/^cvssv3$/i.test(rating.method ?? '') ? { v3Version: '3.0' as const } : {}),
    })),
  );
  const severity = ratingSeverity(vulnerability.ratings) ?? severityFromCvss(cvss) ?? 'info';
  const analysis = vulnerability.analysis;
  const state = ANALYSIS_STATES[analysis?.state?.toLowerCase() ?? ''] ?? 'open';
  const reason = unique([analysis?.justification, analysis?.detail]).join(': ');
  const tool = vulnerability.tools[0] ?? bomTools[0];
  const refs = vulnerability.affects.length === 0 ? [undefined] : unique(vulnerability.affects);

  for (const ref of refs) {
    const component = ref === undefined ? undefined : resolveComponent(components, ref);
    const purl = parsePurl(component?.purl);
    const name =
      component?.name === undefined
        ? purl?.name
        : component.group === undefined
          ? component.name
          : `${component.group}:${component.name}`;
    const version = component?.version ?? purl?.version;
    const packageKey =
      purl === undefined
        ? component?.name === undefined
          ? (ref ?? '')
          : [component.group, component.name].filter(Boolean).join('/')
        : purlPackageKey(purl);

    yield makeResult({
      category: 'dependency',
      identityKey: identityKey('dep', id, packageKey, version),
      title: `${id}${name === undefined ? '' : ` in ${name}`}${version === undefined ? '' : ` ${version}`}`,
      severity,
      vulnerabilityIds: [id, ...vulnerability.referenceIds],
      cwes: parseCwes(vulnerability.cwes),
      ...cvss,
      ...optionalField('packageName', name),
      ...optionalField('packageVersion', version),
      ...optionalField('purl', component?.purl),
      ...optionalField('description', vulnerability.description ?? vulnerability.detail),
      ...optionalField('remediation', vulnerability.recommendation),
      references: unique([vulnerability.sourceUrl, ...vulnerability.referenceUrls]).filter(
        (url): url is string => url !== undefined,
      ),
      locations: ref === undefined ? [] : [{ path: ref }],
      arrivalState: state,
      ...optionalField('arrivalReason', reason),
      ...optionalField('tool', tool),
    });
  }
}

function resolveComponent(components: Map<string, Component>, ref: string): Component | undefined {
  const known = components.get(ref);
  if (known !== undefined) return known;
  // A ref that is itself a package URL still names the package when no component carries it.
  const purl = parsePurl(ref);
  if (purl === undefined) return undefined;
  return { name: purl.name, ...optionalField('version', purl.version), purl: ref };
}

/** First rating that states a severity; `unknown` and `none` say nothing and are passed over. */
function ratingSeverity(ratings: Rating[]): Severity | undefined {
  for (const rating of ratings) {
    const word = rating.severity?.toLowerCase();
    if (word === undefined || word === 'unknown' || word === 'none') continue;
    const severity = severityFromText(word);
    if (severity !== undefined) return severity;
  }
  const scores = ratings
    .filter((rating) => /cvss/i.test(rating.method ?? ''))
    .map((rating) => rating.score)
    .filter((score): score is number => score !== undefined);
  return scores.length === 0 ? undefined : severityFromScore(Math.max(...scores));
}

function addJsonComponent(components: Map<string, Component>, value: unknown): void {
  const object = asObject(value);
  if (object === undefined) return;
  const component: Component = {
    ...optionalField('name', asString(object.name)),
    ...optionalField('group', asString(object.group)),
    ...optionalField('version', asString(object.version)),
    ...optionalField('purl', asString(object.purl)),
  };
  const ref = asString(object['bom-ref']);
  if (ref !== undefined) components.set(ref, component);
  if (component.purl !== undefined && !components.has(component.purl)) {
    components.set(component.purl, component);
  }
  for (const child of asArray(object.components)) addJsonComponent(components, child);
}

function addXmlComponent(components: Map<string, Component>, element: XmlElement): void {
  const component: Component = {
    ...optionalField('name', xmlText(element, 'name')),
    ...optionalField('group', xmlText(element, 'group')),
    ...optionalField('version', xmlText(element, 'version')),
    ...optionalField('purl', xmlText(element, 'purl')),
  };
  const ref = element.attributes['bom-ref'];
  if (ref !== undefined && ref !== '') components.set(ref, component);
  if (component.purl !== undefined && !components.has(component.purl)) {
    components.set(component.purl, component);
  }
  for (const child of xmlChildren(xmlChild(element, 'components'), 'component')) {
    addXmlComponent(components, child);
  }
}

function jsonToolNames(value: unknown): string[] {
  // 1.4 lists tools; 1.5 and later nest them as components and services.
  const tools = Array.isArray(value)
    ? asObjects(value)
    : [...asObjects(pick(value, 'components')), ...asObjects(pick(value, 'services'))];
  return tools.map((tool) => asString(tool.name)).filter((name): name is string => !!name);
}

function xmlToolNames(element: XmlElement): string[] {
  const tools = [
    ...xmlChildren(element, 'tool'),
    ...xmlChildren(xmlChild(element, 'components'), 'component'),
    ...xmlChildren(xmlChild(element, 'services'), 'service'),
  ];
  return tools.map((tool) => xmlText(tool, 'name')).filter((name): name is string => !!name);
}

function readJsonVulnerability(object: JsonObject): Vulnerability {
  const analysis = asObject(object.analysis);
  return {
    ...optionalField('id', asString(object.id)),
    ...optionalField('sourceUrl', asString(pick(object, 'source', 'url'))),
    referenceIds: asObjects(object.references)
      .map((reference) => asString(reference.id))
      .filter((id): id is string => id !== undefined),
    referenceUrls: [
      ...asObjects(object.advisories).map((advisory) => asString(advisory.url)),
      ...asObjects(object.references).map((reference) =>
        asString(pick(reference, 'source', 'url')),
      ),
    ].filter((url): url is string => url !== undefined),
    ratings: asObjects(object.ratings).map((rating) => ({
      ...optionalField('severity', asString(rating.severity)),
      ...optionalField('score', asNumber(rating.score)),
      ...optionalField('method', asString(rating.method)),
      ...optionalField('vector', asString(rating.vector)),
    })),
    cwes: asArray(object.cwes),
    ...optionalField('description', asString(object.description)),
    ...optionalField('detail', asString(object.detail)),
    ...optionalField(
      'recommendation',
      unique([asString(object.recommendation), asString(object.workaround)]).join('\n\n'),
    ),
    ...(analysis === undefined
      ? {}
      : {
          analysis: {
            ...optionalField('state', asString(analysis.state)),
            ...optionalField('justification', asString(analysis.justification)),
            ...optionalField('detail', asString(analysis.detail)),
          },
        }),
    affects: asObjects(object.affects)
      .map((affect) => asString(affect.ref))
      .filter((ref): ref is string => ref !== undefined),
    tools: jsonToolNames(object.tools),
  };
}

function readXmlVulnerability(element: XmlElement): Vulnerability {
  const analysis = xmlChild(element, 'analysis');
  const source = xmlChild(element, 'source');
  const toolsElement = xmlChild(element, 'tools');
  // The 1.0 vulnerability extension names the affected component in a `ref` attribute; 1.4 and
  // later list targets under `affects`.
  const extensionRef = element.attributes.ref;
  const targets = xmlChildren(xmlChild(element, 'affects'), 'target')
    .map((target) => xmlText(target, 'ref'))
    .filter((ref): ref is string => ref !== undefined);
  const references = xmlChildren(xmlChild(element, 'references'), 'reference');
  const advisories = xmlChildren(xmlChild(element, 'advisories'), 'advisory');
  const recommendations = [
    xmlText(element, 'recommendation'),
    xmlText(element, 'workaround'),
    ...xmlChildren(xmlChild(element, 'recommendations'), 'recommendation').map((item) =>
      xmlText(item),
    ),
  ];
  return {
    ...optionalField('id', xmlText(element, 'id')),
    ...optionalField('sourceUrl', xmlText(source, 'url')),
    referenceIds: references
      .map((reference) => xmlText(reference, 'id'))
      .filter((id): id is string => id !== undefined),
    referenceUrls: [
      ...advisories.map((advisory) => xmlText(advisory, 'url') ?? xmlText(advisory)),
      ...references.map((reference) => xmlText(reference, 'source', 'url')),
    ].filter((url): url is string => url !== undefined),
    ratings: xmlChildren(xmlChild(element, 'ratings'), 'rating').map((rating) => {
      const score = xmlChild(rating, 'score');
      return {
        ...optionalField('severity', xmlText(rating, 'severity')),
        ...optionalField('score', asNumber(xmlText(score, 'base') ?? xmlText(score))),
        ...optionalField('method', xmlText(rating, 'method')),
        ...optionalField('vector', xmlText(rating, 'vector')),
      };
    }),
    cwes: xmlChildren(xmlChild(element, 'cwes'), 'cwe').map((cwe) => xmlText(cwe)),
    ...optionalField('description', xmlText(element, 'description')),
    ...optionalField('detail', xmlText(element, 'detail')),
    ...optionalField('recommendation', unique(recommendations).join('\n\n')),
    ...(analysis === undefined
      ? {}
      : {
          analysis: {
            ...optionalField('state', xmlText(analysis, 'state')),
            ...optionalField('justification', xmlText(analysis, 'justification')),
            ...optionalField('detail', xmlText(analysis, 'detail')),
          },
        }),
    affects:
      extensionRef === undefined || extensionRef === '' ? targets : [extensionRef, ...targets],
    tools: toolsElement === undefined ? [] : xmlToolNames(toolsElement),
  };
}
