import { Readable } from 'node:stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import type {
  ArrivalState,
  FindingCategory,
  FindingLocation,
  NormalizedResult,
  ReportParser,
  Severity,
} from './types.ts';
import { ReportError } from './types.ts';
import { formatJsonPath, isNonObjectRoot, streamJson } from './json-stream.ts';
import { readTextChunks, reportSize } from './report-file.ts';
import {
  identityKey,
  makeResult,
  optionalField,
  pickCvss,
  type CvssFields,
} from './result-helpers.ts';

// Steward's own format for manual and pentest findings (docs/formats/generic-findings.md). It
// also reads DefectDojo's generic format: field names are matched without case or separators
// (`CweId`, `cwe_id` and `cweId` are one field), and DefectDojo's names are aliases.

const FIELD_NAMES = {
  title: ['title'],
  severity: ['severity'],
  description: ['description'],
  impact: ['impact'],
  stepsToReproduce: ['stepsToReproduce'],
  vulnerabilityIds: ['vulnerabilityIds', 'vulnerability_ids', 'cve', 'cves', 'vulnerabilityId'],
  cwe: ['cwe', 'cweId', 'cwes', 'cweIds'],
  cvssV3Vector: ['cvssV3Vector', 'cvssv3'],
  cvssV3Score: ['cvssV3Score', 'cvssv3_score'],
  cvssV4Vector: ['cvssV4Vector', 'cvssv4'],
  cvssV4Score: ['cvssV4Score', 'cvssv4_score'],
  component: ['component', 'packageName', 'component_name'],
  version: ['version', 'packageVersion', 'component_version'],
  fixVersion: ['fixVersion'],
  purl: ['purl'],
  file: ['file', 'file_path'],
  line: ['line'],
  url: ['url', 'urls', 'endpoints'],
  remediation: ['remediation', 'mitigation'],
  references: ['references'],
  uniqueId: ['uniqueId', 'unique_id_from_tool'],
  ruleId: ['ruleId', 'vuln_id_from_tool'],
  category: ['category'],
  tool: ['tool'],
  state: ['state'],
  active: ['active'],
  falsePositive: ['falsePositive', 'false_p'],
  riskAccepted: ['riskAccepted'],
  outOfScope: ['outOfScope'],
  isMitigated: ['isMitigated'],
} as const satisfies Record<string, readonly string[]>;

type Field = keyof typeof FIELD_NAMES;

const ALIASES: Record<string, Field> = {};
for (const [field, names] of Object.entries(FIELD_NAMES) as [Field, readonly string[]][]) {
  for (const name of names) ALIASES[squash(name)] = field;
}

const LIST_FIELDS = new Set<Field>(['vulnerabilityIds', 'cwe', 'url', 'references']);

const SEVERITIES: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
  informational: 'info',
  information: 'info',
  none: 'info',
};
const STATES: readonly ArrivalState[] = [
  'open',
  'false_positive',
  'not_affected',
  'risk_accepted',
  'fixed',
];
const CATEGORIES: readonly FindingCategory[] = [
  'dependency',
  'code',
  'dast',
  'secret',
  'configuration',
];

/** A field's value and the name it was given under. */
interface Entry {
  name: string;
  value: unknown;
}

/** A field problem; the caller adds where the finding is (JSON path or CSV line). */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Steward's generic JSON findings (`{ "findings": [...] }`), also DefectDojo's generic JSON. */
export const genericJsonParser: ReportParser = {
  format: 'generic-json',
  tool: 'generic',
  identityVersion: 1,
  parse: parseGenericJson,
};

/** Steward's generic CSV findings (a header row of field names), also DefectDojo's generic CSV. */
export const genericCsvParser: ReportParser = {
  format: 'generic-csv',
  tool: 'generic',
  identityVersion: 1,
  parse: parseGenericCsv,
};

async function* parseGenericJson(filePath: string): AsyncGenerator<NormalizedResult> {
  let hasFindings = false;
  for await (const event of streamJson(filePath, { take: [['findings', '[]']] })) {
    if (event.path.length === 0 && isNonObjectRoot(event)) {
      throw new ReportError('not a generic findings report: expected an object with "findings"', {
        path: '$',
      });
    }
    if (event.kind === 'key' && event.key === 'findings') hasFindings = true;
    if (event.kind !== 'value') continue;
    const where = formatJsonPath(event.path);
    const finding = event.value;
    if (!isRecord(finding)) {
      throw new ReportError(`${where}: a finding must be an object`, { path: where });
    }
    try {
      yield toResult(readRecord(Object.entries(finding)));
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      throw new ReportError(`${where}.${error.field}: ${error.message}`, {
        path: `${where}.${error.field}`,
      });
    }
  }
  if (!hasFindings) {
    throw new ReportError('not a generic findings report: no "findings" array', { path: '$' });
  }
}

async function* parseGenericCsv(filePath: string): AsyncGenerator<NormalizedResult> {
  if ((await reportSize(filePath)) === 0) throw new ReportError('the file is empty');
  const input = Readable.from(readTextChunks(filePath));
  const csv = input.pipe(
    parseCsv({
      columns: (header: string[]) => checkHeader(header),
      info: true,
      skip_empty_lines: true,
      trim: true,
      // A row holding a whole file is an attack or a broken quote, never a finding.
      max_record_size: 1024 * 1024,
    }),
  );
  input.on('error', (error) => csv.destroy(error));
  try {
    for await (const row of csv as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      try {
        yield toResult(readRecord(Object.entries(row.record)));
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        throw new ReportError(`line ${row.info.lines}, column ${error.field}: ${error.message}`, {
          line: row.info.lines,
        });
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new ReportError(
        `invalid CSV: ${error.message}`,
        line === undefined ? undefined : { line },
      );
    }
    throw error;
  } finally {
    input.destroy();
  }
}

function checkHeader(header: string[]): string[] {
  const fields = new Set(header.map((name) => ALIASES[squash(name)]));
  const missing = (['title', 'severity'] as const).filter((field) => !fields.has(field));
  if (missing.length > 0) {
    throw new ReportError(
      `not a generic findings CSV: the header row lacks ${missing.join(' and ')} (found: ${header.join(', ')})`,
      { line: 1 },
    );
  }
  return header;
}

/** Field values by canonical name; unknown fields are ignored (DefectDojo's Date, Verified, ...). */
function readRecord(entries: [string, unknown][]): Map<Field, Entry> {
  const record = new Map<Field, Entry>();
  for (const [name, value] of entries) {
    const field = ALIASES[squash(name)];
    if (field === undefined || isBlank(value)) continue;
    const known = record.get(field);
    if (known !== undefined && LIST_FIELDS.has(field)) {
      // DefectDojo's `cve` beside `vulnerability_ids`, `cwe` beside `cwes`: keep both.
      record.set(field, { name: known.name, value: [...asList(known.value), ...asList(value)] });
    } else {
      record.set(field, { name, value });
    }
  }
  return record;
}

function toResult(record: Map<Field, Entry>): NormalizedResult {
  const text = (field: Field): string | undefined => {
    const entry = record.get(field);
    if (entry === undefined) return undefined;
    if (typeof entry.value === 'string') return entry.value.trim();
    if (typeof entry.value === 'number') return String(entry.value);
    throw new FieldError(entry.name, 'must be text');
  };
  const title = text('title');
  if (title === undefined) throw new FieldError('title', 'is required');
  const vulnerabilityIds = readIds(record.get('vulnerabilityIds'));
  const component = text('component');
  const purl = text('purl');
  const file = text('file');
  const urls = readUrls(record.get('url'));
  const url = urls[0];
  const uniqueId = text('uniqueId');
  const line = readNumber(record.get('line'), { integer: true, min: 1 });
  const locations: FindingLocation[] = [
    ...(file === undefined ? [] : [{ file, ...optionalField('line', line) }]),
    ...urls.map((each) => ({ url: each })),
  ];
  return makeResult({
    category: readCategory(record.get('category'), { component, purl, file, url }),
    identityKey:
      uniqueId === undefined
        ? identityKey('generic', title, vulnerabilityIds[0], component, file ?? url)
        : identityKey('generic', 'id', uniqueId),
    title,
    severity: readSeverity(record.get('severity')),
    ...optionalField('ruleId', text('ruleId')),
    vulnerabilityIds,
    cwes: readCwes(record.get('cwe')),
    ...readCvss(record, 3),
    ...readCvss(record, 4),
    ...optionalField('packageName', component),
    ...optionalField('packageVersion', text('version')),
    ...optionalField('purl', purl),
    ...optionalField('fixVersion', text('fixVersion')),
    description: [
      text('description'),
      prefix('Impact: ', text('impact')),
      prefix('Steps to reproduce:\n', text('stepsToReproduce')),
    ]
      .filter((part) => part !== undefined)
      .join('\n\n'),
    ...optionalField('remediation', text('remediation')),
    references: readReferences(record.get('references')),
    locations,
    arrivalState: readState(record),
    ...optionalField('tool', text('tool')),
  });
}

/** The CVSS vector of one version, checked, with the given score or else the computed one. */
function readCvss(record: Map<Field, Entry>, major: 3 | 4): CvssFields {
  const vectorEntry = record.get(major === 3 ? 'cvssV3Vector' : 'cvssV4Vector');
  const scoreEntry = record.get(major === 3 ? 'cvssV3Score' : 'cvssV4Score');
  const score = readNumber(scoreEntry, { min: 0, max: 10 });
  if (vectorEntry === undefined) {
    return score === undefined ? {} : major === 3 ? { cvssV3Score: score } : { cvssV4Score: score };
  }
  const fields = pickCvss([{ vector: vectorEntry.value, score }]);
  const vector = major === 3 ? fields.cvssV3Vector : fields.cvssV4Vector;
  if (vector === undefined) {
    throw new FieldError(
      vectorEntry.name,
      `${JSON.stringify(vectorEntry.value)} is not a valid CVSS v${major} vector`,
    );
  }
  return major === 3
    ? { cvssV3Vector: vector, ...optionalField('cvssV3Score', fields.cvssV3Score) }
    : { cvssV4Vector: vector, ...optionalField('cvssV4Score', fields.cvssV4Score) };
}

function readSeverity(entry: Entry | undefined): Severity {
  if (entry === undefined) throw new FieldError('severity', 'is required');
  const severity =
    typeof entry.value === 'string' ? SEVERITIES[entry.value.trim().toLowerCase()] : undefined;
  if (severity === undefined) {
    throw new FieldError(
      entry.name,
      `${JSON.stringify(entry.value)} is not a severity (critical, high, medium, low or info)`,
    );
  }
  return severity;
}

function readIds(entry: Entry | undefined): string[] {
  if (entry === undefined) return [];
  const ids = asList(entry.value).flatMap((value) => {
    if (typeof value !== 'string')
      throw new FieldError(entry.name, 'must be text or a list of texts');
    return value.split(/[\s,;]+/);
  });
  return [...new Set(ids.filter((id) => id !== ''))];
}

function readCwes(entry: Entry | undefined): number[] {
  if (entry === undefined) return [];
  const cwes = asList(entry.value).flatMap((value) => {
    const parts =
      typeof value === 'number'
        ? [String(value)]
        : typeof value === 'string'
          ? value.split(/[\s,;]+/)
          : null;
    if (parts === null)
      throw new FieldError(entry.name, 'must be a CWE number, "CWE-n" or a list of them');
    return parts
      .filter((part) => part !== '')
      .map((part) => {
        const match = /^(?:CWE-)?(\d+)$/i.exec(part);
        if (match === null) throw new FieldError(entry.name, `"${part}" is not a CWE id`);
        return Number(match[1]);
      });
  });
  // DefectDojo writes 0 for "no CWE".
  return [...new Set(cwes.filter((cwe) => cwe > 0))];
}

function readNumber(
  entry: Entry | undefined,
  rule: { integer?: boolean; min: number; max?: number },
): number | undefined {
  if (entry === undefined) return undefined;
  const number =
    typeof entry.value === 'number'
      ? entry.value
      : typeof entry.value === 'string'
        ? Number(entry.value.trim())
        : Number.NaN;
  const isValid =
    Number.isFinite(number) &&
    (rule.integer !== true || Number.isInteger(number)) &&
    number >= rule.min &&
    (rule.max === undefined || number <= rule.max);
  if (!isValid) {
    const range =
      rule.max === undefined ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
    throw new FieldError(
      entry.name,
      `${JSON.stringify(entry.value)} is not ${rule.integer === true ? 'a whole number' : 'a number'} ${range}`,
    );
  }
  return number;
}

/** URLs from text or a list; DefectDojo's endpoint objects (`protocol`, `host`, `port`, `path`) too. */
function readUrls(entry: Entry | undefined): string[] {
  if (entry === undefined) return [];
  const urls = asList(entry.value).flatMap((value) => {
    if (typeof value === 'string') return value.split(/\r?\n/).map((url) => url.trim());
    if (isRecord(value) && typeof value.host === 'string') {
      const protocol = typeof value.protocol === 'string' ? `${value.protocol}://` : '//';
      const port =
        typeof value.port === 'number' || typeof value.port === 'string'
          ? `:${String(value.port)}`
          : '';
      const path = typeof value.path === 'string' ? `/${value.path.replace(/^\//, '')}` : '';
      return `${protocol}${value.host}${port}${path}`;
    }
    throw new FieldError(
      entry.name,
      'must be a URL, a list of URLs or endpoint objects with a host',
    );
  });
  return [...new Set(urls.filter((url) => url !== ''))];
}

function readReferences(entry: Entry | undefined): string[] {
  if (entry === undefined) return [];
  const references = asList(entry.value).flatMap((value) => {
    if (typeof value !== 'string')
      throw new FieldError(entry.name, 'must be text or a list of texts');
    return value.split(/\r?\n/);
  });
  return [
    ...new Set(
      references.map((reference) => reference.trim()).filter((reference) => reference !== ''),
    ),
  ];
}

function readCategory(
  entry: Entry | undefined,
  has: { component?: string; purl?: string; file?: string; url?: string },
): FindingCategory {
  if (entry !== undefined) {
    const category = CATEGORIES.find(
      (name) => typeof entry.value === 'string' && name === entry.value.trim().toLowerCase(),
    );
    if (category === undefined) {
      throw new FieldError(
        entry.name,
        `${JSON.stringify(entry.value)} is not one of ${CATEGORIES.join(', ')}`,
      );
    }
    return category;
  }
  if (has.component !== undefined || has.purl !== undefined) return 'dependency';
  if (has.file !== undefined) return 'code';
  if (has.url !== undefined) return 'dast';
  return 'configuration';
}

function readState(record: Map<Field, Entry>): ArrivalState {
  const state = record.get('state');
  if (state !== undefined) {
    const value =
      typeof state.value === 'string'
        ? state.value
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_')
        : '';
    const known = STATES.find((name) => name === value);
    if (known === undefined) {
      throw new FieldError(
        state.name,
        `${JSON.stringify(state.value)} is not one of ${STATES.join(', ')}`,
      );
    }
    return known;
  }
  const flag = (field: Field): boolean | undefined => {
    const entry = record.get(field);
    if (entry === undefined) return undefined;
    if (typeof entry.value === 'boolean') return entry.value;
    const value = typeof entry.value === 'string' ? entry.value.trim().toLowerCase() : entry.value;
    if (value === 'true' || value === 'yes' || value === '1' || value === 1) return true;
    if (value === 'false' || value === 'no' || value === '0' || value === 0) return false;
    throw new FieldError(entry.name, `${JSON.stringify(entry.value)} is not true or false`);
  };
  if (flag('falsePositive') === true) return 'false_positive';
  if (flag('outOfScope') === true) return 'not_affected';
  if (flag('riskAccepted') === true) return 'risk_accepted';
  if (flag('isMitigated') === true || flag('active') === false) return 'fixed';
  return 'open';
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isBlank(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function prefix(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${label}${value}`;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
