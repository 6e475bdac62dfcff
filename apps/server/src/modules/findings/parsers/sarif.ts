import {
  asArray,
  asNumber,
  asObject,
  asObjects,
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
  identityKey,
  makeResult,
  parseCwes,
  severityFromScore,
  unique,
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

/** SARIF 2.1.0 logs: one code finding per result, rules read ahead of or after the results. */
export const sarifParser: ReportParser = {
  format: 'sarif',
  tool: 'sarif',
  identityVersion: 1,
  parse: parseSarif,
};

interface Rule {
  id?: string;
  name?: string;
  shortDescription?: string;
  fullDescription?: string;
  help?: string;
  helpUri?: string;
  level?: string;
  securitySeverity?: number;
  cwes: number[];
  messageStrings: Map<string, string>;
}

interface Run {
  index: number;
  toolName?: string;
  rules: Rule[];
  rulesById: Map<string, Rule>;
  extensions: Rule[][];
  messageStrings: Map<string, string>;
  artifacts: (string | undefined)[];
  isToolRead: boolean;
  isArtifactsRead: boolean;
  /** Index of the first result that came before what it needs; it and later ones wait for pass 2. */
  deferFrom?: number;
}

const LEVELS: Record<string, Severity> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
};

// A justification that speaks of risk or of not fixing records an accepted risk; any other
// accepted suppression says the tool's result does not hold (a false positive).
const RISK_JUSTIFICATION = /\b(risks?|won'?t fix|wontfix|will not fix|accept(ed|ing)? the)\b/i;

const PASS_ONE: JsonPattern[] = [
  ['version'],
  ['runs', '[]', 'tool', 'driver', 'name'],
  ['runs', '[]', 'tool', 'driver', 'globalMessageStrings'],
  ['runs', '[]', 'tool', 'driver', 'rules', '[]'],
  ['runs', '[]', 'tool', 'extensions', '[]', 'rules', '[]'],
  ['runs', '[]', 'artifacts', '[]', 'location'],
  ['runs', '[]', 'results', '[]'],
];

async function* parseSarif(filePath: string): AsyncGenerator<NormalizedResult> {
  const runs: Run[] = [];
  const rootKeys: string[] = [];
  let root: 'object' | 'array' | 'scalar' | undefined;
  let hasRunsArray = false;

  for await (const batch of streamJsonBatches(filePath, { take: PASS_ONE })) {
    for (const event of batch) {
      const path = event.path;
      if (path.length === 0) {
        if (event.kind === 'enter') root = event.container;
        else if (event.kind === 'value') root = 'scalar';
        else if (event.kind === 'key') rootKeys.push(event.key);
        if (root !== 'object' && root !== undefined) {
          throw new ReportError('not a SARIF log: the top level is not an object', { path: '' });
        }
        continue;
      }
      if (event.kind === 'value' && path[0] === 'version') {
        const version = asString(event.value) ?? '';
        if (!version.startsWith('2.')) {
          throw new ReportError(`unsupported SARIF version ${JSON.stringify(event.value)}`, {
            path: 'version',
          });
        }
        continue;
      }
      if (path.length === 1 && path[0] === 'runs' && event.kind === 'enter') {
        if (event.container !== 'array') {
          throw new ReportError('not a SARIF log: `runs` is not an array', { path: 'runs' });
        }
        hasRunsArray = true;
        continue;
      }
      const runIndex = path[1];
      if (typeof runIndex !== 'number') continue;
      if (path.length === 2 && event.kind === 'enter') {
        runs[runIndex] = newRun(runIndex);
        continue;
      }
      const run = runs[runIndex];
      if (run === undefined) continue;
      const section = path[2];
      if (event.kind === 'leave' && path.length === 3) {
        if (section === 'tool') run.isToolRead = true;
        if (section === 'artifacts') run.isArtifactsRead = true;
        continue;
      }
      if (event.kind !== 'value') continue;
      if (section === 'tool') {
        readToolPart(run, path, event.value);
      } else if (section === 'artifacts' && typeof path[3] === 'number') {
        run.artifacts[path[3]] = asString(pick(event.value, 'uri'));
      } else if (section === 'results' && typeof path[3] === 'number') {
        const resultIndex = path[3];
        if (run.deferFrom === undefined && isReady(run, event.value)) {
          const result = convertResult(run, event.value, path);
          if (result !== undefined) yield result;
        } else {
          run.deferFrom ??= resultIndex;
        }
      }
    }
  }

  if (root === undefined) throw new ReportError('not a SARIF log: the file holds no JSON value');
  if (!hasRunsArray) {
    const found = rootKeys.length === 0 ? 'none' : rootKeys.slice(0, 8).join(', ');
    throw new ReportError(
      `not a SARIF log: there is no top-level \`runs\` array (top-level keys: ${found})`,
      { path: 'runs' },
    );
  }

  const waiting = runs.filter((run) => run.deferFrom !== undefined);
  if (waiting.length === 0) return;
  // Results read before their run's rules or artifacts are read again, now that those are known.
  const patterns = waiting.map((run): JsonPattern => ['runs', run.index, 'results', '[]']);
  for await (const batch of streamJsonBatches(filePath, { take: patterns })) {
    for (const event of batch) {
      if (event.kind !== 'value') continue;
      const run = runs[event.path[1] as number];
      const resultIndex = event.path[3];
      if (run?.deferFrom === undefined || typeof resultIndex !== 'number') continue;
      if (resultIndex < run.deferFrom) continue;
      const result = convertResult(run, event.value, event.path);
      if (result !== undefined) yield result;
    }
  }
}

function newRun(index: number): Run {
  return {
    index,
    rules: [],
    rulesById: new Map(),
    extensions: [],
    messageStrings: new Map(),
    artifacts: [],
    isToolRead: false,
    isArtifactsRead: false,
  };
}

function readToolPart(run: Run, path: JsonPath, value: unknown): void {
  const component = path[3];
  if (component === 'driver') {
    const part = path[4];
    if (part === 'name') run.toolName = asString(value);
    else if (part === 'globalMessageStrings') run.messageStrings = readMessageStrings(value);
    else if (part === 'rules' && typeof path[5] === 'number') {
      const rule = readRule(value);
      run.rules[path[5]] = rule;
      if (rule.id !== undefined && !run.rulesById.has(rule.id)) run.rulesById.set(rule.id, rule);
    }
  } else if (component === 'extensions' && typeof path[4] === 'number') {
    const extension = (run.extensions[path[4]] ??= []);
    const ruleIndex = path[6];
    if (typeof ruleIndex === 'number') {
      const rule = readRule(value);
      extension[ruleIndex] = rule;
      if (rule.id !== undefined && !run.rulesById.has(rule.id)) run.rulesById.set(rule.id, rule);
    }
  }
}

/** Keeps only what results use from a rule, so the table stays small. */
function readRule(value: unknown): Rule {
  const rule = asObject(value) ?? {};
  const properties = asObject(rule.properties) ?? {};
  const tags = asStrings(properties.tags).filter((tag) => /cwe/i.test(tag));
  const cweTargets = asObjects(rule.relationships)
    .filter((relation) =>
      /cwe/i.test(asString(pick(relation, 'target', 'toolComponent', 'name')) ?? ''),
    )
    .map((relation) => asString(pick(relation, 'target', 'id')));
  const securitySeverity = asNumber(properties['security-severity']);
  return {
    ...optionalField('id', asString(rule.id)),
    ...optionalField('name', asString(rule.name)),
    ...optionalField('shortDescription', textOf(rule.shortDescription)),
    ...optionalField('fullDescription', textOf(rule.fullDescription)),
    ...optionalField('help', textOf(rule.help)),
    ...optionalField('helpUri', asString(rule.helpUri)),
    ...optionalField('level', asString(pick(rule, 'defaultConfiguration', 'level'))),
    ...optionalField('securitySeverity', securitySeverity),
    cwes: parseCwes([...tags, ...cweTargets, ...asArray(properties.cwe)]),
    messageStrings: readMessageStrings(rule.messageStrings),
  };
}

function readMessageStrings(value: unknown): Map<string, string> {
  const strings = new Map<string, string>();
  for (const [id, message] of Object.entries(asObject(value) ?? {})) {
    const text = textOf(message);
    if (text !== undefined) strings.set(id, text);
  }
  return strings;
}

/** A result can be converted now unless its run's tool, or an artifact it names, is still unread. */
function isReady(run: Run, value: unknown): boolean {
  if (!run.isToolRead) return false;
  if (run.isArtifactsRead) return true;
  return !asObjects(pick(value, 'locations')).some((location) => {
    const artifact = asObject(pick(location, 'physicalLocation', 'artifactLocation'));
    return artifact !== undefined && artifact.uri === undefined && artifact.index !== undefined;
  });
}

function convertResult(run: Run, value: unknown, path: JsonPath): NormalizedResult | undefined {
  const result = asObject(value);
  if (result === undefined) {
    throw new ReportError(`${formatJsonPath(path)}: a SARIF result must be an object`, {
      path: formatJsonPath(path),
    });
  }
  const kind = asString(result.kind) ?? 'fail';
  // `pass` and `notApplicable` results record checks that found nothing.
  if (kind === 'pass' || kind === 'notApplicable') return undefined;

  const rule = findRule(run, result, path);
  const ruleId = asString(result.ruleId) ?? asString(pick(result, 'rule', 'id')) ?? rule?.id;
  const message = messageOf(result, rule, run);
  const locations = locationsOf(run, result);
  const primary = locations[0];
  const fingerprint = fingerprintOf(result);
  const toolName = run.toolName ?? 'sarif';

  const securitySeverity =
    asNumber(pick(result, 'properties', 'security-severity')) ?? rule?.securitySeverity;
  const level = asString(result.level) ?? rule?.level ?? (kind === 'fail' ? 'warning' : 'none');
  const severity =
    securitySeverity !== undefined
      ? severityFromScore(securitySeverity)
      : (LEVELS[level.toLowerCase()] ?? 'medium');

  const { state, reason } = arrivalOf(result);
  const vulnerabilityIds = [ruleId, rule?.name].filter(
    (id): id is string => id !== undefined && /^(CVE|GHSA)-/i.test(id),
  );
  const description = unique([message, rule?.fullDescription]).join('\n\n');

  return makeResult({
    category: 'code',
    identityKey: identityKey(
      'code',
      toolName,
      ruleId,
      primary?.file,
      fingerprint === undefined ? `line:${primary?.line ?? ''}` : `fp:${fingerprint}`,
    ),
    title: rule?.shortDescription ?? rule?.name ?? message ?? ruleId ?? 'SARIF result',
    severity,
    ...(ruleId === undefined ? {} : { ruleId }),
    vulnerabilityIds,
    cwes: [
      ...(rule?.cwes ?? []),
      ...parseCwes(asStrings(pick(result, 'properties', 'tags')).filter((tag) => /cwe/i.test(tag))),
    ],
    description,
    ...(rule?.help === undefined ? {} : { remediation: rule.help }),
    references: rule?.helpUri === undefined ? [] : [rule.helpUri],
    locations,
    arrivalState: state,
    ...(reason === undefined ? {} : { arrivalReason: reason }),
    tool: toolName,
  });
}

function findRule(run: Run, result: JsonObject, path: JsonPath): Rule | undefined {
  const explicit = result.ruleIndex !== undefined;
  const index = asNumber(explicit ? result.ruleIndex : pick(result, 'rule', 'index'));
  const extensionIndex = asNumber(pick(result, 'rule', 'toolComponent', 'index'));
  if (index !== undefined && index >= 0) {
    const rules = extensionIndex === undefined ? run.rules : (run.extensions[extensionIndex] ?? []);
    const rule = rules[index];
    if (rule === undefined || !Number.isInteger(index)) {
      const where = formatJsonPath([...path, ...(explicit ? ['ruleIndex'] : ['rule', 'index'])]);
      const owner =
        extensionIndex === undefined ? 'the run' : `tool extension ${extensionIndex} of the run`;
      throw new ReportError(
        `${where}: rule index ${index} is out of range (${owner} defines ${rules.length} rules)`,
        { path: where },
      );
    }
    return rule;
  }
  const id = asString(result.ruleId) ?? asString(pick(result, 'rule', 'id'));
  if (id === undefined) return undefined;
  // A hierarchical id (`C2001/sub`) falls back to its base rule.
  return run.rulesById.get(id) ?? run.rulesById.get(id.split('/')[0] ?? id);
}

function messageOf(result: JsonObject, rule: Rule | undefined, run: Run): string | undefined {
  const message = asObject(result.message);
  if (message === undefined) return undefined;
  const direct = asString(message.text) ?? asString(message.markdown);
  if (direct !== undefined) return direct;
  const id = asString(message.id);
  if (id === undefined) return undefined;
  const template = rule?.messageStrings.get(id) ?? run.messageStrings.get(id);
  if (template === undefined) return undefined;
  const args = asArray(message.arguments).map((argument) => asString(argument) ?? '');
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole);
}

function locationsOf(run: Run, result: JsonObject): FindingLocation[] {
  const locations: FindingLocation[] = [];
  for (const location of asObjects(result.locations)) {
    const physical = asObject(location.physicalLocation);
    const artifact = asObject(physical?.artifactLocation);
    const artifactIndex = asNumber(artifact?.index);
    const uri =
      asString(artifact?.uri) ??
      (artifactIndex === undefined ? undefined : run.artifacts[artifactIndex]);
    const region = asObject(physical?.region);
    const logical = asObjects(location.logicalLocations)
      .map((item) => asString(item.fullyQualifiedName) ?? asString(item.name))
      .find((name) => name !== undefined);
    const entry: FindingLocation = {};
    if (uri !== undefined) entry.file = normaliseUri(uri);
    const line = asNumber(region?.startLine);
    const column = asNumber(region?.startColumn);
    if (line !== undefined) entry.line = line;
    if (column !== undefined) entry.column = column;
    if (logical !== undefined) entry.path = logical;
    if (Object.keys(entry).length > 0) locations.push(entry);
  }
  if (locations.length === 0) {
    const target = asString(pick(result, 'analysisTarget', 'uri'));
    if (target !== undefined) locations.push({ file: normaliseUri(target) });
  }
  return locations;
}

/** `file:///C:/code/a.c` → `C:/code/a.c`, `file:///src/a.c` → `/src/a.c`; relative URIs stay. */
function normaliseUri(uri: string): string {
  let path = uri;
  if (/^file:/i.test(path)) {
    path = path.replace(/^file:\/*/i, '/');
    if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function fingerprintOf(result: JsonObject): string | undefined {
  const fingerprints = asObject(result.partialFingerprints);
  if (fingerprints === undefined) return undefined;
  const keys = Object.keys(fingerprints).sort();
  const preferred = keys.find((key) => key.startsWith('primaryLocationLineHash')) ?? keys[0];
  return preferred === undefined ? undefined : asString(fingerprints[preferred]);
}

function arrivalOf(result: JsonObject): { state: ArrivalState; reason?: string } {
  const accepted = asObjects(result.suppressions).filter((suppression) => {
    const status = asString(suppression.status) ?? asString(suppression.state);
    return status === undefined || status === 'accepted';
  });
  if (accepted.length > 0) {
    const reason = unique(accepted.map((suppression) => asString(suppression.justification))).join(
      '; ',
    );
    const state: ArrivalState = RISK_JUSTIFICATION.test(reason)
      ? 'risk_accepted'
      : 'false_positive';
    return reason === '' ? { state } : { state, reason };
  }
  // A baseline-compared log lists results that disappeared since the baseline as `absent`.
  if (asString(result.baselineState) === 'absent') return { state: 'fixed' };
  return { state: 'open' };
}

function textOf(value: unknown): string | undefined {
  return asString(pick(value, 'text')) ?? asString(pick(value, 'markdown'));
}
