import {
  asObject,
  asString,
  asStrings,
  formatJsonPath,
  pick,
  streamJsonBatches,
  type JsonObject,
  type JsonPath,
  type JsonPattern,
} from './json-stream.ts';
import {
  derivePurl,
  identityKey,
  makeResult,
  parseCwes,
  pickCvss,
  severityFromCvss,
  severityFromText,
  unique,
  type CvssCandidate,
  optionalField,
} from './result-helpers.ts';
import {
  ReportError,
  type ArrivalState,
  type FindingLocation,
  type NormalizedResult,
  type ReportParser,
  type Severity,
} from './types.ts';

/**
 * Trivy JSON: the legacy top-level list, SchemaVersion 2 reports (vulnerabilities,
 * misconfigurations, secrets, VEX-modified findings) and Kubernetes reports.
 */
export const trivyParser: ReportParser = {
  format: 'trivy',
  tool: 'trivy',
  identityVersion: 1,
  parse: parseTrivy,
};

interface ResultContext {
  target?: string;
  type?: string;
  resultClass?: string;
}

interface ResourceContext {
  namespace?: string;
  kind?: string;
  name?: string;
}

const RESULT_FIELDS = ['Target', 'Class', 'Type'];
const ITEM_LISTS = [
  'Vulnerabilities',
  'Misconfigurations',
  'Secrets',
  'ExperimentalModifiedFindings',
];
const RESOURCE_FIELDS = ['Namespace', 'Kind', 'Name'];
// Kubernetes reports nest results under resources: `Resources` now, `Vulnerabilities` and
// `Misconfigurations` lists of resources in reports before Trivy 0.50.
const RESOURCE_LISTS = ['Resources', 'Vulnerabilities', 'Misconfigurations'];
const REPORT_KEYS = ['SchemaVersion', 'Results', 'ArtifactName', 'ClusterName', 'Resources'];

const PATTERNS: JsonPattern[] = [
  ['SchemaVersion'],
  ...resultPatterns(['[]']),
  ...resultPatterns(['Results', '[]']),
  ...RESOURCE_LISTS.flatMap((list): JsonPattern[] => [
    ...RESOURCE_FIELDS.map((field): JsonPattern => [list, '[]', field]),
    ...resultPatterns([list, '[]', 'Results', '[]']),
  ]),
];

function resultPatterns(prefix: JsonPattern): JsonPattern[] {
  return [
    ...RESULT_FIELDS.map((field): JsonPattern => [...prefix, field]),
    ...ITEM_LISTS.map((list): JsonPattern => [...prefix, list, '[]']),
  ];
}

const STATUS_STATES: Record<string, ArrivalState> = {
  not_affected: 'not_affected',
  false_positive: 'false_positive',
  fixed: 'fixed',
};

async function* parseTrivy(filePath: string): AsyncGenerator<NormalizedResult> {
  // Trivy writes a result's Target, Class and Type before its lists, and a resource's names
  // before its results, so the context of an item is known when the item arrives.
  const results = new Map<string, ResultContext>();
  const resources = new Map<string, ResourceContext>();
  const rootKeys: string[] = [];
  let root: 'object' | 'array' | 'null' | undefined;
  let arrayEntries = 0;
  let sawTarget = false;

  for await (const batch of streamJsonBatches(filePath, { take: PATTERNS })) {
    for (const event of batch) {
      const path = event.path;
      if (path.length === 0) {
        if (event.kind === 'value') {
          // Old Trivy versions write `null` when they find nothing.
          if (event.value === null) root = 'null';
          else
            throw new ReportError('not a Trivy report: the top level is not an object or a list');
        } else if (event.kind === 'enter') {
          root = event.container;
        } else if (event.kind === 'key') {
          rootKeys.push(event.key);
        }
        continue;
      }
      if (event.kind === 'enter' && root === 'array' && path.length === 1) arrayEntries += 1;
      if (event.kind === 'leave') {
        results.delete(pathKey(path));
        resources.delete(pathKey(path));
        continue;
      }
      if (event.kind !== 'value') continue;

      const last = path.at(-1);
      const parent = path.at(-2);
      if (typeof last === 'number' && typeof parent === 'string' && ITEM_LISTS.includes(parent)) {
        const prefix = path.slice(0, -2);
        const context = results.get(pathKey(prefix)) ?? {};
        const resource = resources.get(pathKey(prefix.slice(0, 2)));
        const result = convertItem(parent, event.value, context, resourceName(resource), path);
        if (result !== undefined) yield result;
      } else if (typeof last === 'string' && path.length > 1) {
        const prefix = path.slice(0, -1);
        if (
          RESULT_FIELDS.includes(last) &&
          typeof prefix.at(-1) === 'number' &&
          isResultPath(prefix)
        ) {
          const context = results.get(pathKey(prefix)) ?? {};
          results.set(pathKey(prefix), context);
          const value = asString(event.value);
          if (last === 'Target') {
            sawTarget = true;
            if (value !== undefined) context.target = value;
          } else if (last === 'Type' && value !== undefined) context.type = value;
          else if (last === 'Class' && value !== undefined) context.resultClass = value;
        } else if (RESOURCE_FIELDS.includes(last) && prefix.length === 2) {
          const resource = resources.get(pathKey(prefix)) ?? {};
          resources.set(pathKey(prefix), resource);
          const value = asString(event.value);
          if (last === 'Namespace' && value !== undefined) resource.namespace = value;
          else if (last === 'Kind' && value !== undefined) resource.kind = value;
          else if (last === 'Name' && value !== undefined) resource.name = value;
        }
      }
    }
  }

  if (root === 'object' && !rootKeys.some((key) => REPORT_KEYS.includes(key))) {
    const found = rootKeys.length === 0 ? 'none' : rootKeys.slice(0, 8).join(', ');
    throw new ReportError(
      `not a Trivy report: expected SchemaVersion, Results or Resources at the top level (found: ${found})`,
    );
  }
  if (root === 'array' && arrayEntries > 0 && !sawTarget) {
    throw new ReportError('not a Trivy report: the entries of the top-level list have no `Target`');
  }
}

function isResultPath(prefix: JsonPath): boolean {
  return prefix.length === 1 || prefix.at(-2) === 'Results';
}

function pathKey(path: JsonPath): string {
  return formatJsonPath(path);
}

function resourceName(resource: ResourceContext | undefined): string | undefined {
  if (resource === undefined) return undefined;
  const parts = [resource.namespace, resource.kind, resource.name].filter(
    (part): part is string => part !== undefined,
  );
  return parts.length === 0 ? undefined : parts.join('/');
}

function convertItem(
  list: string,
  value: unknown,
  context: ResultContext,
  resource: string | undefined,
  path: JsonPath,
): NormalizedResult | undefined {
  const item = asObject(value);
  if (item === undefined) {
    throw new ReportError(`${formatJsonPath(path)}: expected an object`, {
      path: formatJsonPath(path),
    });
  }
  switch (list) {
    case 'Vulnerabilities':
      return convertVulnerability(item, context, resource, 'open');
    case 'Misconfigurations':
      return convertMisconfiguration(item, context, resource, undefined);
    case 'Secrets':
      return convertSecret(item, context, undefined);
    default:
      return convertModified(item, context, resource);
  }
}

/** Findings a VEX document or ignore policy changed: reported with the state they were given. */
function convertModified(
  item: JsonObject,
  context: ResultContext,
  resource: string | undefined,
): NormalizedResult | undefined {
  const finding = asObject(item.Finding);
  if (finding === undefined) return undefined;
  const status = asString(item.Status)?.toLowerCase() ?? '';
  if (status === 'under_investigation' || status === 'affected') return undefined;
  const state = STATUS_STATES[status] ?? 'risk_accepted';
  const reason = asString(item.Statement) ?? asString(item.Source);
  const arrival = { state, ...(reason === undefined ? {} : { reason }) };
  switch (asString(item.Type)) {
    case 'vulnerability':
      return convertVulnerability(finding, context, resource, state, arrival.reason);
    case 'misconfiguration':
    case 'misconfig':
      return convertMisconfiguration(finding, context, resource, arrival);
    case 'secret':
      return convertSecret(finding, context, arrival);
    default:
      return undefined;
  }
}

function convertVulnerability(
  item: JsonObject,
  context: ResultContext,
  resource: string | undefined,
  givenState: ArrivalState,
  reason?: string,
): NormalizedResult {
  const id = asString(item.VulnerabilityID) ?? 'unknown';
  const name = asString(item.PkgName);
  const version = asString(item.InstalledVersion);
  const fixVersion = asString(item.FixedVersion);
  const cvss = pickCvss(cvssCandidates(item));
  const severity = vulnerabilitySeverity(item, cvss);
  const status = asString(item.Status)?.toLowerCase();
  const state = givenState === 'open' && status === 'not_affected' ? 'not_affected' : givenState;
  const location: FindingLocation = {};
  const file = asString(item.PkgPath) ?? context.target;
  if (file !== undefined) location.file = file;
  if (resource !== undefined) location.path = resource;

  return makeResult({
    category: 'dependency',
    identityKey: identityKey('dep', id, `${context.type ?? ''}/${name ?? ''}`, version),
    title: asString(item.Title) ?? `${id} in ${name ?? 'a package'}`,
    severity,
    vulnerabilityIds: [id, ...asStrings(item.VendorIDs)],
    cwes: parseCwes(asStrings(item.CweIDs)),
    ...cvss,
    ...(name === undefined ? {} : { packageName: name }),
    ...(version === undefined ? {} : { packageVersion: version }),
    ...optionalField(
      'purl',
      asString(pick(item, 'PkgIdentifier', 'PURL')) ?? derivePurl(context.type, name, version),
    ),
    ...(fixVersion === undefined ? {} : { fixVersion }),
    isFixAvailable: fixVersion !== undefined,
    ...optionalField('description', asString(item.Description)),
    references: unique([asString(item.PrimaryURL), ...asStrings(item.References)]).filter(
      (reference): reference is string => reference !== undefined,
    ),
    locations: [location],
    arrivalState: state,
    ...optionalField('arrivalReason', reason),
    tool: 'trivy',
  });
}

function convertMisconfiguration(
  item: JsonObject,
  context: ResultContext,
  resource: string | undefined,
  arrival: { state: ArrivalState; reason?: string } | undefined,
): NormalizedResult | undefined {
  const status = asString(item.Status)?.toUpperCase();
  if (status === 'PASS') return undefined;
  const ruleId = asString(item.ID) ?? asString(item.AVDID) ?? 'unknown';
  const cause = asObject(item.CauseMetadata);
  const where = resource ?? asString(cause?.Resource);
  const line = typeof cause?.StartLine === 'number' ? cause.StartLine : undefined;
  // An EXCEPTION is a failure the scanned project's own policy excepted.
  const state = arrival?.state ?? (status === 'EXCEPTION' ? 'risk_accepted' : 'open');
  const location: FindingLocation = {};
  if (context.target !== undefined) location.file = context.target;
  if (line !== undefined && line > 0) location.line = line;
  if (where !== undefined) location.path = where;

  return makeResult({
    category: 'configuration',
    identityKey: identityKey('config', ruleId, context.target, where),
    title: asString(item.Title) ?? ruleId,
    severity: severityFromText(item.Severity) ?? 'info',
    ruleId,
    vulnerabilityIds: [],
    ...optionalField(
      'description',
      unique([asString(item.Description), asString(item.Message)]).join('\n\n'),
    ),
    ...optionalField('remediation', asString(item.Resolution)),
    references: unique([asString(item.PrimaryURL), ...asStrings(item.References)]).filter(
      (reference): reference is string => reference !== undefined,
    ),
    locations: [location],
    arrivalState: state,
    ...optionalField('arrivalReason', arrival?.reason),
    tool: 'trivy',
  });
}

function convertSecret(
  item: JsonObject,
  context: ResultContext,
  arrival: { state: ArrivalState; reason?: string } | undefined,
): NormalizedResult {
  const ruleId = asString(item.RuleID) ?? 'unknown';
  const line = typeof item.StartLine === 'number' ? item.StartLine : undefined;
  const title = asString(item.Title) ?? ruleId;
  const category = asString(item.Category);
  const location: FindingLocation = {};
  if (context.target !== undefined) location.file = context.target;
  if (line !== undefined) location.line = line;

  return makeResult({
    category: 'secret',
    identityKey: identityKey('secret', ruleId, context.target, line),
    title,
    severity: severityFromText(item.Severity) ?? 'info',
    ruleId,
    // The match itself is left out: even masked, it is the secret's neighbourhood.
    ...optionalField('description', category === undefined ? title : `${category}: ${title}`),
    locations: [location],
    arrivalState: arrival?.state ?? 'open',
    ...optionalField('arrivalReason', arrival?.reason),
    tool: 'trivy',
  });
}

/** CVSS entries by source: the one Trivy took the severity from first, then NVD, GHSA, the rest. */
function cvssCandidates(item: JsonObject): CvssCandidate[] {
  const bySource = asObject(item.CVSS) ?? {};
  const preferred = asString(item.SeveritySource);
  const order = unique([preferred, 'nvd', 'ghsa', 'redhat', ...Object.keys(bySource)]).filter(
    (source): source is string => source !== undefined,
  );
  const candidates: CvssCandidate[] = [];
  for (const source of order) {
    const entry = asObject(bySource[source]);
    if (entry === undefined) continue;
    candidates.push({ vector: entry.V40Vector, score: entry.V40Score });
    candidates.push({ vector: entry.V3Vector, score: entry.V3Score });
  }
  return candidates;
}

function vulnerabilitySeverity(item: JsonObject, cvss: ReturnType<typeof pickCvss>): Severity {
  // UNKNOWN means no source rated it: a score, when there is one, says more than nothing.
  return severityFromText(item.Severity) ?? severityFromCvss(cvss) ?? 'info';
}
