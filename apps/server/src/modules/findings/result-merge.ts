import { hash } from 'node:crypto';
import { parsePurl } from './parsers/result-helpers.ts';
import type {
  ArrivalState,
  FindingCategory,
  FindingLocation,
  NormalizedResult,
  Severity,
} from './parsers/types.ts';

/** Locations kept per finding; further ones still count as occurrences. */
export const maxLocationsPerFinding = 200;

/**
 * The fields of a finding that merging never changes, cleaned for the database. Texts shared by
 * many results (a rule's title and help) stay one string in memory, however many findings use it.
 */
export interface FindingFields {
  title: string;
  ruleId: string | undefined;
  vulnerabilityIds: string[];
  cwes: number[];
  cvssV3Vector: string | undefined;
  cvssV3Score: number | undefined;
  cvssV4Vector: string | undefined;
  cvssV4Score: number | undefined;
  packageName: string | undefined;
  packageVersion: string | undefined;
  purl: string | undefined;
  description: string | undefined;
  remediation: string | undefined;
  references: string[];
}

/**
 * One finding of a report: the results with the same identity, merged. It is kept compact — the
 * locations as one JSON text, the descriptive fields handed to a sink when one takes them —
 * because a report may hold hundreds of thousands of findings and all of them stay in memory
 * until the report has been read.
 */
export interface MergedFinding {
  tool: string;
  identityKey: string;
  category: FindingCategory;
  /**
   * The finding's fields from its first result (title, ids, package, CVSS...); kept here only
   * when no sink took them (see `ResultMerger`).
   */
  fields?: FindingFields;
  /** JSON array of every distinct location of its results, in report order (bounded). */
  locationsJson: string;
  locationCount: number;
  fixVersion: string | undefined;
  isFixAvailable: boolean | undefined;
  /** How many results of the report had this identity. */
  occurrences: number;
  /** Highest severity among the results. */
  severity: Severity;
  /** `open` when any of the results is open; else the first result's triage. */
  arrivalState: ArrivalState;
  arrivalReason: string | undefined;
  /** Cross-tool key of a dependency finding (vulnerability|package|version), else null. */
  dependencyKey: string | null;
  /** Position of the first result in the report. */
  seq: number;
}

const severityRank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

// OS packages are named by their distribution in one tool's purl and not in another's; the name
// and version already identify the package on one asset.
const osPackageTypes = new Set(['deb', 'apk', 'rpm', 'alpm']);

// jsonb refuses NUL characters and lone surrogates, which a report may contain; they carry
// nothing a person needs, so they are dropped (or replaced) rather than failing the import.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// eslint-disable-next-line no-control-regex -- NUL is exactly what has to be found
const storable = /[\u0000\uD800-\uDFFF]/;

/** Text as the database can store it. */
export function cleanText(text: string): string {
  // Most text needs nothing; testing first avoids two new strings per result.
  if (!storable.test(text)) return text;
  return text.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD');
}

function cleanValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? cleanText(value) : value;
}

/** JSON of a value with every string cleaned for the database. */
export function toCleanJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes NUL and lone surrogates as escapes; only then is cleaning needed.
  return json.includes('\\u0000') || /\\ud[89a-f]/i.test(json)
    ? JSON.stringify(value, cleanValue)
    : json;
}

function locationKey(location: FindingLocation): string {
  return [location.file, location.line, location.column, location.url, location.path]
    .map((part) => (part === undefined ? '' : String(part)))
    .join('\u0000');
}

/**
 * The cross-tool key of a dependency finding: its primary vulnerability id (the first CVE, else
 * the first id), the package (from the purl when there is one, else the name) and the version, so
 * that two scanners reporting the same vulnerability in the same package version agree on it.
 */
export function dependencyKeyOf(result: NormalizedResult): string | null {
  if (result.category !== 'dependency') return null;
  const ids = result.vulnerabilityIds;
  const primary = ids.find((id) => /^CVE-/i.test(id)) ?? ids[0];
  if (primary === undefined) return null;
  const purl = parsePurl(result.purl);
  let name: string | undefined;
  if (purl !== undefined) {
    name =
      purl.namespace === undefined || osPackageTypes.has(purl.type)
        ? purl.name
        : `${purl.namespace}/${purl.name}`;
  } else if (result.packageName !== undefined) {
    name = result.packageName.replace(/:/g, '/');
  }
  if (name === undefined || name === '') return null;
  const version = result.packageVersion ?? purl?.version ?? '';
  return cleanText(`${primary.toUpperCase()}|${name.toLowerCase()}|${version}`);
}

/**
 * The digest of what a report may change on a known finding — fix version and availability,
 * locations, occurrences — so a re-import finds the changed ones without comparing the fields.
 */
export function reportDigestOf(finding: MergedFinding): string {
  // One-shot hashing: no hash object per finding for the garbage collector to track.
  return hash(
    'sha256',
    `${finding.fixVersion ?? ''}\u0000${String(finding.isFixAvailable ?? '')}\u0000${finding.locationsJson}\u0000${String(finding.occurrences)}`,
    'base64url',
  );
}

function cleanOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : cleanText(text);
}

// Most findings have no vulnerability id or reference; they all share this one empty list.
const noTexts: string[] = [];

function cleanTexts(texts: string[]): string[] {
  if (texts.length === 0) return noTexts;
  // Most texts need no cleaning: the list is then kept as it is rather than copied.
  return texts.some((text) => storable.test(text)) ? texts.map(cleanText) : texts;
}

/** The fields of a result that merging never changes, cleaned for the database. */
export function fieldsOf(result: NormalizedResult): FindingFields {
  return {
    title: cleanText(result.title),
    ruleId: cleanOptional(result.ruleId),
    vulnerabilityIds: cleanTexts(result.vulnerabilityIds),
    cwes: result.cwes,
    cvssV3Vector: cleanOptional(result.cvssV3Vector),
    cvssV3Score: result.cvssV3Score,
    cvssV4Vector: cleanOptional(result.cvssV4Vector),
    cvssV4Score: result.cvssV4Score,
    packageName: cleanOptional(result.packageName),
    packageVersion: cleanOptional(result.packageVersion),
    purl: cleanOptional(result.purl),
    description: cleanOptional(result.description),
    remediation: cleanOptional(result.remediation),
    references: cleanTexts(result.references),
  };
}

/** Receives the fields of each new finding (its first result) as it is found. */
export type FieldsSink = (finding: MergedFinding, fields: FindingFields) => void;

/**
 * Merges a report's results into findings as they stream in: results with the same tool and
 * identity become one finding with an occurrence count and the union of their locations. Memory
 * grows with the number of distinct findings, not with the number of results. With a `sink`, the
 * fields a merge never changes (title, descriptions, ids, package, CVSS...) go to the sink when a
 * finding is first seen and are not kept, so only what merging changes stays in memory.
 */
export class ResultMerger {
  // Per tool, then by identity key: no combined key string is kept per finding.
  private readonly byTool = new Map<string, Map<string, MergedFinding>>();
  private inOrder: MergedFinding[] = [];
  private releasedSize = 0;
  private droppedLocations = 0;
  /** Results read so far. */
  results = 0;

  constructor(
    private readonly defaultTool: string,
    private readonly sink?: FieldsSink,
  ) {}

  /** Add one result of the report. */
  add(result: NormalizedResult): void {
    const tool = cleanText(result.tool ?? this.defaultTool);
    const identityKey = cleanText(result.identityKey);
    const seq = this.results;
    this.results += 1;
    let ofTool = this.byTool.get(tool);
    if (ofTool === undefined) {
      ofTool = new Map();
      this.byTool.set(tool, ofTool);
    }
    const known = ofTool.get(identityKey);
    if (known === undefined) {
      const locations = result.locations.slice(0, maxLocationsPerFinding);
      this.droppedLocations += result.locations.length - locations.length;
      const fields = fieldsOf(result);
      const finding: MergedFinding = {
        tool,
        identityKey,
        category: result.category,
        locationsJson: toCleanJson(locations),
        locationCount: locations.length,
        fixVersion: result.fixVersion === undefined ? undefined : cleanText(result.fixVersion),
        isFixAvailable: result.isFixAvailable,
        occurrences: 1,
        severity: result.severity,
        arrivalState: result.arrivalState,
        arrivalReason:
          result.arrivalReason === undefined ? undefined : cleanText(result.arrivalReason),
        dependencyKey: dependencyKeyOf(result),
        seq,
      };
      ofTool.set(identityKey, finding);
      this.inOrder.push(finding);
      if (this.sink === undefined) finding.fields = fields;
      else this.sink(finding, fields);
      return;
    }
    known.occurrences += 1;
    if (severityRank[result.severity] > severityRank[known.severity]) {
      known.severity = result.severity;
    }
    // A suppression covers the result it is written on; one unsuppressed result keeps it open.
    if (result.arrivalState === 'open' && known.arrivalState !== 'open') {
      known.arrivalState = 'open';
      known.arrivalReason = undefined;
    }
    if (result.locations.length > 0) this.mergeLocations(known, result.locations);
  }

  private mergeLocations(known: MergedFinding, added: readonly FindingLocation[]): void {
    const locations = JSON.parse(known.locationsJson) as FindingLocation[];
    const seen = new Set(locations.map(locationKey));
    let isChanged = false;
    for (const location of added) {
      const lk = locationKey(location);
      if (seen.has(lk)) continue;
      if (locations.length >= maxLocationsPerFinding) {
        this.droppedLocations += 1;
        continue;
      }
      seen.add(lk);
      locations.push(location);
      isChanged = true;
    }
    if (isChanged) {
      known.locationsJson = toCleanJson(locations);
      known.locationCount = locations.length;
    }
  }

  /** Distinct findings so far. */
  get size(): number {
    return this.releasedSize + this.inOrder.length;
  }

  /**
   * Let go of the findings (counts, tools and warnings stay): once the report has been compared
   * with the asset, the caller holds what it still has to write and releases it batch by batch.
   */
  release(): void {
    this.releasedSize += this.inOrder.length;
    this.inOrder = [];
    for (const ofTool of this.byTool.values()) ofTool.clear();
  }

  /** The finding of a tool and identity key, if the report has it. */
  get(tool: string, identityKey: string): MergedFinding | undefined {
    return this.byTool.get(tool)?.get(identityKey);
  }

  /** The findings in the order their first result appeared. */
  findings(): IterableIterator<MergedFinding> {
    return this.inOrder.values();
  }

  /** Tools named by the findings, in order of first appearance. */
  tools(): string[] {
    return [...this.byTool.keys()];
  }

  /** Problems that did not stop the import. */
  warnings(): { message: string }[] {
    if (this.droppedLocations === 0) return [];
    return [
      {
        message: `${String(this.droppedLocations)} location(s) beyond ${String(maxLocationsPerFinding)} per finding were not kept (occurrences still count them)`,
      },
    ];
  }
}
