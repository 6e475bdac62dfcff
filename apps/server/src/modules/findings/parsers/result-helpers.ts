import calculator from 'ae-cvss-calculator';
import type { FindingLocation, NormalizedResult, Severity } from './types.ts';

/** The fields every parser must give; the others default to empty lists and the `open` state. */
export type ResultFields = Pick<
  NormalizedResult,
  'category' | 'identityKey' | 'title' | 'severity'
> &
  Partial<NormalizedResult>;

/** CVSS fields of a result. */
export type CvssFields = Pick<
  NormalizedResult,
  'cvssV3Vector' | 'cvssV3Score' | 'cvssV4Vector' | 'cvssV4Score'
>;

/** A CVSS vector and, when the report states it, its score; `v3Version` prefixes a bare v3 vector. */
export interface CvssCandidate {
  vector?: unknown;
  score?: unknown;
  v3Version?: '3.0' | '3.1';
}

/** The parts of a package URL that name a package. */
export interface PackageUrl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

const MAX_TITLE = 200;

const LOCATION_FIELDS = [
  'file',
  'line',
  'column',
  'url',
  'path',
] as const satisfies readonly (keyof FindingLocation)[];

const OPTIONAL_FIELDS = [
  'ruleId',
  'cvssV3Vector',
  'cvssV3Score',
  'cvssV4Vector',
  'cvssV4Score',
  'packageName',
  'packageVersion',
  'purl',
  'fixVersion',
  'isFixAvailable',
  'description',
  'remediation',
  'arrivalReason',
  'tool',
] as const satisfies readonly (keyof NormalizedResult)[];

/** Builds a result: lists default to empty and are de-duplicated, the state defaults to `open`. */
export function makeResult(fields: ResultFields): NormalizedResult {
  const result: NormalizedResult = {
    category: fields.category,
    identityKey: fields.identityKey,
    title: shortTitle(fields.title),
    severity: fields.severity,
    vulnerabilityIds: unique(fields.vulnerabilityIds ?? []),
    cwes: unique(fields.cwes ?? []),
    references: unique(fields.references ?? []),
    locations: uniqueLocations(fields.locations ?? []),
    arrivalState: fields.arrivalState ?? 'open',
  };
  for (const key of OPTIONAL_FIELDS) {
    const value = fields[key];
    if (value !== undefined && value !== '') Object.assign(result, { [key]: value });
  }
  return result;
}

/**
 * Builds an identity key: a prefix naming the kind (`dep`, `code`, `secret`, `config`) and parts
 * joined by `|`, e.g. `dep:CVE-2021-44228|maven/log4j-core|2.14.1`. A `|` or `%` inside a part is
 * percent-encoded so two different part lists never give the same key.
 */
export function identityKey(prefix: string, ...parts: (string | number | undefined)[]): string {
  const encoded = parts.map((part) =>
    String(part ?? '')
      .replace(/%/g, '%25')
      .replace(/\|/g, '%7C'),
  );
  return `${prefix}:${encoded.join('|')}`;
}

/** Severity of a CVSS v3/v4 (or SARIF security-severity) score: ≥9 critical, ≥7 high, ≥4 medium, >0 low. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** The usual severity words of scanners; undefined for words that say nothing (`unknown`, ''). */
export function severityFromText(text: unknown): Severity | undefined {
  if (typeof text !== 'string') return undefined;
  switch (text.trim().toLowerCase()) {
    case 'critical':
    case 'blocker':
      return 'critical';
    case 'high':
    case 'important':
    case 'error':
    case 'severe':
      return 'high';
    case 'medium':
    case 'moderate':
    case 'warning':
    case 'warn':
      return 'medium';
    case 'low':
    case 'minor':
      return 'low';
    case 'info':
    case 'informational':
    case 'information':
    case 'note':
    case 'none':
      return 'info';
    default:
      return undefined;
  }
}

/** Severity from CVSS fields (v4 preferred, then v3), or undefined without a score. */
export function severityFromCvss(fields: CvssFields): Severity | undefined {
  const score = fields.cvssV4Score ?? fields.cvssV3Score;
  return score === undefined ? undefined : severityFromScore(score);
}

/**
 * The first valid v3 and the first valid v4 vector among candidates in order of preference, each
 * with the report's score or, when it gives none, the base score computed from the vector.
 */
export function pickCvss(candidates: Iterable<CvssCandidate>): CvssFields {
  const fields: CvssFields = {};
  for (const candidate of candidates) {
    const parsed = readCvss(candidate);
    if (parsed === undefined) continue;
    if (parsed.major === 3 && fields.cvssV3Vector === undefined) {
      fields.cvssV3Vector = parsed.vector;
      fields.cvssV3Score = parsed.score;
    } else if (parsed.major === 4 && fields.cvssV4Vector === undefined) {
      fields.cvssV4Vector = parsed.vector;
      fields.cvssV4Score = parsed.score;
    }
  }
  return fields;
}

/** CWE numbers from `CWE-79`, `79`, `79` as a number, or tags such as `external/cwe/cwe-079`. */
export function parseCwes(values: Iterable<unknown>): number[] {
  const cwes: number[] = [];
  for (const value of values) {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
      cwes.push(value);
      continue;
    }
    if (typeof value !== 'string') continue;
    const match = /^(?:.*\bcwe[-_/:]?\s*)?0*(\d+)$/i.exec(value.trim());
    const number = match?.[1] === undefined ? NaN : Number(match[1]);
    if (Number.isInteger(number) && number > 0) cwes.push(number);
  }
  return unique(cwes);
}

/** Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`). */
export function parsePurl(purl: unknown): PackageUrl | undefined {
  if (typeof purl !== 'string') return undefined;
  const match = /^pkg:([a-zA-Z][\w.+-]*)\/+([^?#]+?)(?:@([^?#@]+))?(?:[?#].*)?$/.exec(purl.trim());
  if (match === null) return undefined;
  const [, type = '', rest = '', version] = match;
  const segments = rest
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodePart);
  const name = segments.pop();
  if (name === undefined) return undefined;
  const result: PackageUrl = { type: type.toLowerCase(), name };
  if (segments.length > 0) result.namespace = segments.join('/');
  if (version !== undefined) result.version = decodePart(version);
  return result;
}

/** `type/namespace/name` of a package URL: the package without version, as identity keys use it. */
export function purlPackageKey(purl: PackageUrl): string {
  return [purl.type, purl.namespace, purl.name].filter((part) => part !== undefined).join('/');
}

/** Writes a package URL from its parts. */
export function formatPurl(purl: PackageUrl): string {
  const path = [purl.namespace, purl.name]
    .filter((part): part is string => part !== undefined && part !== '')
    .map((part) => part.split('/').map(encodePart).join('/'))
    .join('/');
  const version = purl.version === undefined ? '' : `@${encodePart(purl.version)}`;
  return `pkg:${purl.type}/${path}${version}`;
}

/** The purl type of a scanner's ecosystem or package-type name (`pip` → `pypi`), when known. */
export function purlTypeOf(ecosystem: string | undefined): string | undefined {
  if (ecosystem === undefined) return undefined;
  return PURL_TYPES[ecosystem.trim().toLowerCase()];
}

/**
 * Derives a package URL from an ecosystem name, package name and version: Maven `group:artifact`
 * names and scoped npm names are split; OS packages take their distribution as namespace.
 */
export function derivePurl(
  ecosystem: string | undefined,
  name: string | undefined,
  version: string | undefined,
  distro?: string,
): string | undefined {
  const type = purlTypeOf(ecosystem);
  if (type === undefined || name === undefined || name === '') return undefined;
  let namespace: string | undefined;
  let local = name;
  if (type === 'maven' && name.includes(':')) {
    [namespace = '', local = ''] = name.split(':', 2);
  } else if (type === 'npm' && name.startsWith('@') && name.includes('/')) {
    [namespace = '', local = ''] = name.split('/', 2);
  } else if (type === 'golang' && name.includes('/')) {
    namespace = name.slice(0, name.lastIndexOf('/'));
    local = name.slice(name.lastIndexOf('/') + 1);
  } else if (type === 'deb' || type === 'apk' || type === 'rpm') {
    namespace = distro ?? (ecosystem === undefined ? undefined : DISTROS[ecosystem.toLowerCase()]);
  }
  return formatPurl({
    type,
    ...(namespace === undefined || namespace === '' ? {} : { namespace }),
    name: local,
    ...(version === undefined || version === '' ? {} : { version }),
  });
}

/** `{ [key]: value }` when the value is set (neither undefined nor ''), else `{}`: for optional fields. */
export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Cuts text to its first line and 200 characters, for titles. */
export function shortTitle(text: string): string {
  const line = (text.split(/\r?\n/).find((part) => part.trim() !== '') ?? text).trim();
  return line.length > MAX_TITLE ? `${line.slice(0, MAX_TITLE - 1)}…` : line;
}

/** Values in first-seen order without repeats or empty strings. */
export function unique<T>(values: Iterable<T>): T[] {
  const seen = new Set<T>();
  for (const value of values) {
    if (value !== undefined && value !== null && value !== '') seen.add(value);
  }
  return [...seen];
}

function uniqueLocations(locations: readonly FindingLocation[]): FindingLocation[] {
  const seen = new Map<string, FindingLocation>();
  for (const location of locations) {
    const clean: FindingLocation = {};
    for (const key of LOCATION_FIELDS) {
      const value = location[key];
      if (value !== undefined && value !== '') Object.assign(clean, { [key]: value });
    }
    const key = LOCATION_FIELDS.map((field) => String(clean[field] ?? '')).join('\u0000');
    if (key.length > LOCATION_FIELDS.length - 1 && !seen.has(key)) seen.set(key, clean);
  }
  return [...seen.values()];
}

interface ParsedCvss {
  major: 3 | 4;
  vector: string;
  score: number | undefined;
}

// The base metrics each version requires, with the values each may take.
const V3_METRICS: Record<string, RegExp> = {
  AV: /^[NALP]$/,
  AC: /^[LH]$/,
  PR: /^[NLH]$/,
  UI: /^[NR]$/,
  S: /^[UC]$/,
  C: /^[NLH]$/,
  I: /^[NLH]$/,
  A: /^[NLH]$/,
};
const V4_METRICS: Record<string, RegExp> = {
  AV: /^[NALP]$/,
  AC: /^[LH]$/,
  AT: /^[NP]$/,
  PR: /^[NLH]$/,
  UI: /^[NPA]$/,
  VC: /^[HLN]$/,
  VI: /^[HLN]$/,
  VA: /^[HLN]$/,
  SC: /^[HLN]$/,
  SI: /^[HLN]$/,
  SA: /^[HLN]$/,
};

// Computing a score costs about a millisecond (v4) and reports repeat the same few vectors, so
// computed scores are kept; the cache is emptied when full to bound its memory.
const SCORE_CACHE_LIMIT = 10_000;
const scoreCache = new Map<string, number | undefined | null>();

function readCvss(candidate: CvssCandidate): ParsedCvss | undefined {
  if (typeof candidate.vector !== 'string') return undefined;
  let vector = candidate.vector.trim().replace(/^\((.*)\)$/, '$1');
  const metrics = new Map(
    vector
      .split('/')
      .map((part) => part.split(':'))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  const hasAll = (required: Record<string, RegExp>): boolean =>
    Object.entries(required).every(([metric, values]) => values.test(metrics.get(metric) ?? ''));
  let major: 3 | 4;
  if (/^CVSS:4\.0\//.test(vector)) major = 4;
  else if (/^CVSS:3\.[01]\//.test(vector)) major = 3;
  else if (hasAll(V4_METRICS)) {
    major = 4;
    vector = `CVSS:4.0/${vector}`;
  } else if (hasAll(V3_METRICS)) {
    major = 3;
    vector = `CVSS:${candidate.v3Version ?? '3.1'}/${vector}`;
  } else {
    return undefined;
  }
  if (!hasAll(major === 4 ? V4_METRICS : V3_METRICS)) return undefined;
  const given = typeof candidate.score === 'string' ? Number(candidate.score) : candidate.score;
  if (typeof given === 'number' && Number.isFinite(given) && given >= 0 && given <= 10) {
    return { major, vector, score: given };
  }
  const computed = computeScore(major, vector);
  if (computed === null) return undefined;
  return { major, vector, score: computed };
}

/** The score of a complete vector (v3 base, v4 CVSS-B/BT/BE); null when the calculator rejects it. */
function computeScore(major: 3 | 4, vector: string): number | undefined | null {
  if (scoreCache.has(vector)) return scoreCache.get(vector);
  let score: number | undefined | null;
  try {
    if (major === 4) {
      score = new calculator.Cvss4P0(vector).calculateScores().overall;
    } else {
      const cvss = vector.startsWith('CVSS:3.0/')
        ? new calculator.Cvss3P0(vector)
        : new calculator.Cvss3P1(vector);
      score = cvss.calculateScores().base;
    }
    if (typeof score !== 'number') score = undefined;
  } catch {
    score = null;
  }
  if (scoreCache.size >= SCORE_CACHE_LIMIT) scoreCache.clear();
  scoreCache.set(vector, score);
  return score;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function encodePart(part: string): string {
  return encodeURIComponent(part).replace(/%3A/gi, ':');
}

const DISTROS: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  redhat: 'redhat',
  centos: 'centos',
  rocky: 'rocky',
  alma: 'almalinux',
  amazon: 'amazon',
  oracle: 'oracle',
  fedora: 'fedora',
  photon: 'photon',
  'cbl-mariner': 'mariner',
  suse: 'suse',
  opensuse: 'opensuse',
};

const PURL_TYPES: Record<string, string> = {
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  'node-pkg': 'npm',
  javascript: 'npm',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  python: 'pypi',
  'python-pkg': 'pypi',
  pypi: 'pypi',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  sbt: 'maven',
  maven: 'maven',
  'java-archive': 'maven',
  java: 'maven',
  gomod: 'golang',
  gobinary: 'golang',
  go: 'golang',
  'go-module': 'golang',
  golang: 'golang',
  cargo: 'cargo',
  'rust-binary': 'cargo',
  'rust-crate': 'cargo',
  'crates.io': 'cargo',
  rust: 'cargo',
  composer: 'composer',
  'php-composer': 'composer',
  packagist: 'composer',
  nuget: 'nuget',
  'dotnet-core': 'nuget',
  'dotnet-deps': 'nuget',
  dotnet: 'nuget',
  bundler: 'gem',
  gemspec: 'gem',
  gem: 'gem',
  rubygems: 'gem',
  hex: 'hex',
  pub: 'pub',
  cocoapods: 'cocoapods',
  swift: 'swift',
  conan: 'conan',
  conda: 'conda',
  'conda-pkg': 'conda',
  hackage: 'hackage',
  'github-action': 'github',
  'github-actions': 'github',
  actions: 'github',
  deb: 'deb',
  debian: 'deb',
  ubuntu: 'deb',
  apk: 'apk',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
  rpm: 'rpm',
  redhat: 'rpm',
  centos: 'rpm',
  rocky: 'rpm',
  alma: 'rpm',
  amazon: 'rpm',
  oracle: 'rpm',
  fedora: 'rpm',
  photon: 'rpm',
  'cbl-mariner': 'rpm',
  suse: 'rpm',
  opensuse: 'rpm',
};
