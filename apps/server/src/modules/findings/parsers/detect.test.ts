import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { DETECT_HEAD_BYTES, detectFormat } from './detect.ts';
import type { ReportFormat } from './types.ts';

const FOLDER_FORMATS: Record<string, ReportFormat | null> = {
  sarif: 'sarif',
  trivy: 'trivy',
  anchore_grype: 'grype',
  // Anchore Engine is another tool with its own format, which Steward does not read.
  anchore_engine: null,
  npm_audit: 'npm-audit',
  npm_audit_7_plus: 'npm-audit',
  osv_scanner: 'osv-scanner',
  dependency_check: 'dependency-check',
  snyk: 'snyk',
  github_vulnerability: 'github-dependabot',
  gitleaks: 'gitleaks',
  semgrep: 'semgrep',
  zap: 'zap',
  checkov: 'checkov',
  tfsec: 'tfsec',
  nuclei: 'nuclei',
  bandit: 'bandit',
};

// Files that carry no report at all: zero bytes or a bare `null`. The caller reports them.
const UNDETECTABLE = new Set([
  'gitleaks/no_findings.json',
  'trivy/legacy_no_vuln.json',
  'nuclei/empty.jsonl',
  'osv_scanner/no_findings.json',
]);

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DETECT_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, DETECT_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function expectedFormat(folder: string, file: string): ReportFormat | null {
  if (UNDETECTABLE.has(`${folder}/${file}`)) return null;
  if (folder === 'cyclonedx') return file.endsWith('.xml') ? 'cyclonedx-xml' : 'cyclonedx-json';
  if (folder === 'generic') return file.endsWith('.csv') ? 'generic-csv' : 'generic-json';
  const format = FOLDER_FORMATS[folder];
  if (format === undefined) throw new Error(`no expected format for the folder ${folder}`);
  return format;
}

describe.skipIf(!hasSharedData('corpus', 'scans'))('detectFormat on the corpus', () => {
  const root = sharedPath('corpus', 'scans');

  it('recognises every report in every folder', async () => {
    const folders = (await readdir(root, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    expect(folders.length).toBe(19);
    let checked = 0;
    for (const folder of folders) {
      for (const file of await readdir(join(root, folder.name))) {
        const head = await readHead(join(root, folder.name, file));
        expect
          .soft(detectFormat(head, file), `${folder.name}/${file}`)
          .toBe(expectedFormat(folder.name, file));
        checked += 1;
      }
    }
    expect(checked).toBe(51);
  });

  it('does not need the file name for any corpus report', async () => {
    const head = await readHead(join(root, 'semgrep', 'repeated_findings.json'));
    expect(detectFormat(head)).toBe('semgrep');
    const csv = await readHead(join(root, 'generic', 'generic_report1.csv'));
    expect(detectFormat(csv)).toBe('generic-csv');
  });
});

describe('detectFormat', () => {
  it('returns null for empty, blank and `null` content', () => {
    expect(detectFormat('')).toBeNull();
    expect(detectFormat(' \n\t')).toBeNull();
    expect(detectFormat('null')).toBeNull();
    expect(detectFormat('\uFEFF')).toBeNull();
  });

  it('returns null for content of no known format', () => {
    expect(detectFormat('{"hello": "world"}')).toBeNull();
    expect(detectFormat('[1, 2, 3]')).toBeNull();
    expect(detectFormat('<?xml version="1.0"?><html><body/></html>')).toBeNull();
    expect(detectFormat('just some text')).toBeNull();
  });

  it('reads a head cut in the middle of a value', () => {
    const head = '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Code';
    expect(detectFormat(head)).toBe('sarif');
  });

  it('skips a byte-order mark and leading white space', () => {
    expect(detectFormat('\uFEFF\n  {"bomFormat": "CycloneDX", "specVersion": "1.5"}')).toBe(
      'cyclonedx-json',
    );
  });

  it('ignores keys that only appear inside string values', () => {
    const head = '{"findings": [{"title": "has \\"check_id\\": inside", "severity": "low"}]}';
    expect(detectFormat(head)).toBe('generic-json');
  });

  it('tells apart the formats that all have a top-level "results"', () => {
    expect(detectFormat('{"results": [{"check_id": "r", "path": "a.py"}]}')).toBe('semgrep');
    expect(detectFormat('{"results": [{"rule_id": "AVD-AWS-0001", "long_id": "x"}]}')).toBe(
      'tfsec',
    );
    expect(detectFormat('{"results": [{"source": {"path": "a"}, "packages": []}]}')).toBe(
      'osv-scanner',
    );
    expect(detectFormat('{"results": [], "errors": [], "paths": {"scanned": []}}')).toBe('semgrep');
    expect(detectFormat('{"generated_at": "2024-01-01T00:00:00Z", "results": []}')).toBe('bandit');
    expect(detectFormat('{"results": null}')).toBe('tfsec');
  });

  it('uses the file name only when the content is ambiguous', () => {
    expect(detectFormat('{"results": []}')).toBeNull();
    expect(detectFormat('{"results": []}', 'reports/semgrep-main.json')).toBe('semgrep');
    expect(detectFormat('{"results": []}', 'tfsec.json')).toBe('tfsec');
    expect(detectFormat('{"results": []}', 'osv.json')).toBe('osv-scanner');
    expect(detectFormat('{"runs": []}', 'scan.sarif')).toBe('sarif');
    expect(detectFormat('{"runs": []}', 'scan.json')).toBeNull();
  });

  it('recognises nuclei as JSON lines and as a JSON array', () => {
    const line = '{"template-id": "tech-detect", "host": "a.test", "matched-at": "https://a.test"}';
    expect(detectFormat(`${line}\n${line}\n`)).toBe('nuclei');
    expect(detectFormat(`[${line}]`)).toBe('nuclei');
  });

  it('recognises gitleaks v8 and v7 arrays and legacy trivy arrays', () => {
    expect(detectFormat('[{"RuleID": "aws-access-token", "File": "a"}]')).toBe('gitleaks');
    expect(detectFormat('[{"rule": "AWS", "offender": "x", "file": "a"}]')).toBe('gitleaks');
    expect(detectFormat('[{"Target": "app", "Vulnerabilities": []}]')).toBe('trivy');
  });

  it('recognises checkov as one report or an array of reports', () => {
    expect(detectFormat('{"check_type": "terraform", "results": {}}')).toBe('checkov');
    expect(detectFormat('[{"check_type": "terraform"}, {"check_type": "kubernetes"}]')).toBe(
      'checkov',
    );
  });

  it('recognises npm audit reports and npm error output', () => {
    expect(detectFormat('{"auditReportVersion": 2, "vulnerabilities": {}}')).toBe('npm-audit');
    expect(detectFormat('{"error": {"code": "ENOLOCK", "summary": "x", "detail": ""}}')).toBe(
      'npm-audit',
    );
  });

  it('recognises XML reports by their root element', () => {
    expect(detectFormat('<?xml version="1.0"?>\n<!-- c -->\n<OWASPZAPReport version="2">')).toBe(
      'zap',
    );
    expect(detectFormat('<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">')).toBe(
      'cyclonedx-xml',
    );
    expect(detectFormat('<bom version="1">')).toBeNull();
    expect(
      detectFormat(
        '<analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.3.0.xsd">',
      ),
    ).toBe('dependency-check');
  });

  it('recognises a generic CSV by its header', () => {
    expect(detectFormat('title,severity,cve\nA,high,CVE-2024-1\n')).toBe('generic-csv');
    expect(detectFormat('"Title","Severity"\r\n"A","Low"\r\n')).toBe('generic-csv');
    expect(detectFormat('Title,Description\nA,b\n')).toBeNull();
    expect(detectFormat('Title,Description\nA,b\n', 'pentest.csv')).toBe('generic-csv');
    expect(detectFormat('name,value\na,b\n', 'data.csv')).toBeNull();
  });
});
