/** Severity after normalisation from each tool's own scale. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** What kind of weakness a result describes; it decides how its identity is built. */
export type FindingCategory = 'dependency' | 'code' | 'dast' | 'secret' | 'configuration';

/** A state a result may arrive in when the tool itself records a triage decision. */
export type ArrivalState = 'open' | 'false_positive' | 'not_affected' | 'risk_accepted' | 'fixed';

/** Where a result was seen: a file position, a URL or a dependency path. */
export interface FindingLocation {
  file?: string;
  line?: number;
  column?: number;
  url?: string;
  /** e.g. a dependency path `app > lib > vuln`, a container layer, a Kubernetes resource. */
  path?: string;
}

/** One result of one report, normalised from any supported format. */
export interface NormalizedResult {
  category: FindingCategory;
  /**
   * The identity inside this tool: results with the same key in one report merge into one
   * finding; across imports it matches the finding again. Versioned by `identityVersion`.
   */
  identityKey: string;
  title: string;
  severity: Severity;
  /** Rule id (code, secret, configuration, DAST alert type) when the tool has one. */
  ruleId?: string;
  /** CVE, GHSA, OSV, ... ids; the first one is the primary. */
  vulnerabilityIds: string[];
  cwes: number[];
  cvssV3Vector?: string;
  cvssV3Score?: number;
  cvssV4Vector?: string;
  cvssV4Score?: number;
  packageName?: string;
  packageVersion?: string;
  /** Package URL (purl) when given or derivable. */
  purl?: string;
  /** Version(s) that fix it, as the tool states them. */
  fixVersion?: string;
  isFixAvailable?: boolean;
  description?: string;
  remediation?: string;
  references: string[];
  locations: FindingLocation[];
  /** The tool's own triage decision carried in the report (SARIF suppression, VEX, dismissed alert). */
  arrivalState: ArrivalState;
  /** The tool's reason for that decision, when given. */
  arrivalReason?: string;
  /** The tool that produced it when the report names it (SARIF runs, generic reports). */
  tool?: string;
}

/** A report format Steward can import. */
export type ReportFormat =
  | 'sarif'
  | 'cyclonedx-json'
  | 'cyclonedx-xml'
  | 'trivy'
  | 'grype'
  | 'npm-audit'
  | 'osv-scanner'
  | 'dependency-check'
  | 'snyk'
  | 'github-dependabot'
  | 'gitleaks'
  | 'semgrep'
  | 'zap'
  | 'checkov'
  | 'tfsec'
  | 'nuclei'
  | 'bandit'
  | 'generic-json'
  | 'generic-csv';

/** A report that cannot be imported: what is wrong and where. */
export class ReportError extends Error {
  constructor(
    message: string,
    /** Where in the file: a JSON path, an XML element path, or a line number. */
    readonly where?: { line?: number; column?: number; path?: string },
    /** The report is the tool's own error output (its message is `message`). */
    readonly isToolError = false,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/** A parser: reads one report file from disk as a stream and yields normalised results. */
export interface ReportParser {
  format: ReportFormat;
  /** The tool name recorded on findings (e.g. `trivy`, `grype`). */
  tool: string;
  /** Identity scheme version of this parser; bump it when identityKey changes. */
  identityVersion: number;
  parse(filePath: string): AsyncIterable<NormalizedResult>;
}
