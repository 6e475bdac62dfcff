import type { ReportFormat } from './types.ts';

/** How many bytes from the start of a report `detectFormat` is meant to be given. */
export const DETECT_HEAD_BYTES = 64 * 1024;

interface KeySighting {
  depth: number;
  /** The value when it is a scalar (string, number, boolean, null), as text. */
  value?: string;
}

interface JsonShape {
  root: 'object' | 'array';
  /** Every key seen in the head, with the shallowest depth it appeared at (root keys are 1). */
  keys: Map<string, KeySighting>;
}

/** Decides a report's format from its first 64 KiB and, as a hint, its file name; null when unknown. */
export function detectFormat(head: string, fileName?: string): ReportFormat | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return null;
  const hint = fileName?.toLowerCase() ?? '';
  const first = text[0];
  if (first === '<') return detectXml(text);
  if (first === '{' || first === '[') {
    const shape = scanJsonHead(text);
    return shape === null ? null : detectJson(shape, hint);
  }
  return detectCsv(text, hint);
}

function detectXml(text: string): ReportFormat | null {
  // The root is the first element that is not a declaration, comment or doctype.
  const root = /<(?![?!])([\w.:-]+)([^>]*)>/.exec(text);
  if (root === null) return null;
  const name = (root[1] ?? '').replace(/^[\w.-]+:/, '');
  const attributes = root[2] ?? '';
  if (name === 'OWASPZAPReport') return 'zap';
  if (name === 'bom' && /cyclonedx\.org/i.test(attributes)) return 'cyclonedx-xml';
  if (name === 'analysis' && /dependency-?check/i.test(attributes)) return 'dependency-check';
  return null;
}

function detectJson(shape: JsonShape, hint: string): ReportFormat | null {
  const { keys, root } = shape;
  const at = (key: string, ...depths: number[]): boolean => {
    const sighting = keys.get(key);
    return sighting !== undefined && (depths.length === 0 || depths.includes(sighting.depth));
  };
  const valueOf = (key: string): string | undefined => keys.get(key)?.value;
  // In an array report, the keys of each element sit one level deeper.
  const item = root === 'array' ? 2 : 1;

  if (at('bomFormat', 1) && valueOf('bomFormat') === 'CycloneDX') return 'cyclonedx-json';
  if (
    at('runs', 1) &&
    (valueOf('version') === '2.1.0' ||
      /sarif/i.test(valueOf('$schema') ?? '') ||
      hint.endsWith('.sarif'))
  ) {
    return 'sarif';
  }
  if (root === 'object' && (at('SchemaVersion', 1) || at('ArtifactName', 1))) return 'trivy';
  if (
    root === 'array' &&
    at('Target', 2) &&
    (at('Vulnerabilities') || at('Misconfigurations') || at('Secrets') || at('Type', 2))
  ) {
    return 'trivy';
  }
  if (at('matches', 1) && (at('descriptor', 1) || at('source', 1))) return 'grype';
  if (at('auditReportVersion', 1)) return 'npm-audit';
  if (at('advisories', 1) && (at('actions', 1) || at('muted', 1) || at('metadata', 1))) {
    return 'npm-audit';
  }
  // npm's own error output (`npm audit --json` without a registry): the npm parser reports it.
  if (at('error', 1) && at('code', 2) && at('summary', 2) && keys.size <= 5) return 'npm-audit';
  if (at('data', 1) && at('vulnerabilityAlerts')) return 'github-dependabot';
  if (at('vulnerabilities', item) && at('packageManager', item)) return 'snyk';
  if (at('check_type', item)) return 'checkov';
  if (at('template-id', item) || at('templateID', item)) return 'nuclei';
  if (root === 'array' && (at('RuleID', 2) || (at('rule', 2) && at('offender', 2)))) {
    return 'gitleaks';
  }
  if (at('generated_at', 1) && (at('metrics', 1) || at('results', 1))) return 'bandit';
  if (at('results', 1)) {
    if (at('check_id', 3)) return 'semgrep';
    if (at('rule_id', 3) || at('long_id', 3)) return 'tfsec';
    if (at('packages', 3) && at('source', 3)) return 'osv-scanner';
    if (at('paths', 1) && at('errors', 1)) return 'semgrep';
    // tfsec (Go) writes a nil slice as `"results": null` when it finds nothing.
    if (keys.size === 1 && valueOf('results') === 'null') return 'tfsec';
    return detectByName(hint);
  }
  if (at('findings', 1) && root === 'object') return 'generic-json';
  return null;
}

/** For reports whose content says too little (an empty `results` list), the tool in the name. */
function detectByName(hint: string): ReportFormat | null {
  const base = hint.split(/[\\/]/).pop() ?? '';
  if (base.includes('semgrep')) return 'semgrep';
  if (base.includes('tfsec')) return 'tfsec';
  if (base.includes('osv')) return 'osv-scanner';
  return null;
}

function detectCsv(text: string, hint: string): ReportFormat | null {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const columns = firstLine
    .split(',')
    .map((column) => column.trim().replace(/^"|"$/g, '').toLowerCase());
  const hasTitle = columns.includes('title');
  if (hasTitle && (columns.includes('severity') || hint.endsWith('.csv'))) return 'generic-csv';
  return null;
}

/**
 * Reads the structure of the start of a JSON document without parsing it whole: the head may be
 * cut anywhere. Null when the text is not JSON-like at all.
 */
function scanJsonHead(text: string): JsonShape | null {
  const keys = new Map<string, KeySighting>();
  const stack: ('{' | '[')[] = [];
  let root: JsonShape['root'] | undefined;
  // The sighting of the key whose value comes next, when it is the one kept for that key.
  let pending: KeySighting | undefined;
  let i = 0;
  const note = (key: string, depth: number): KeySighting | undefined => {
    const known = keys.get(key);
    if (known !== undefined && known.depth <= depth) return undefined;
    const sighting = { depth };
    keys.set(key, sighting);
    return sighting;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length === 0) root ??= c === '{' ? 'object' : 'array';
      stack.push(c);
      pending = undefined;
      i += 1;
    } else if (c === '}' || c === ']') {
      stack.pop();
      pending = undefined;
      i += 1;
    } else if (c === '"') {
      const end = findStringEnd(text, i);
      if (end < 0) break;
      const raw = text.slice(i + 1, end);
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next] ?? '')) next += 1;
      if (text[next] === ':' && stack.at(-1) === '{') {
        pending = note(decodeJsonString(raw), stack.length);
        i = next + 1;
      } else {
        if (pending !== undefined) pending.value = decodeJsonString(raw);
        pending = undefined;
        i = end + 1;
      }
    } else if (c !== undefined && /[-\w.+]/.test(c)) {
      const literal = /^[-\w.+]+/.exec(text.slice(i, i + 64))?.[0] ?? c;
      if (pending !== undefined) pending.value = literal;
      pending = undefined;
      i += literal.length;
    } else {
      i += 1;
    }
  }
  if (root === undefined) return null;
  return { root, keys };
}

function findStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '"') return i;
  }
  return -1;
}

function decodeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
