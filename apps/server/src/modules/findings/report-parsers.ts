import { banditParser } from './parsers/bandit.ts';
import { checkovParser } from './parsers/checkov.ts';
import { cyclonedxJsonParser, cyclonedxXmlParser } from './parsers/cyclonedx.ts';
import { dependencyCheckParser } from './parsers/dependency-check.ts';
import { genericCsvParser, genericJsonParser } from './parsers/generic.ts';
import { githubDependabotParser } from './parsers/github-dependabot.ts';
import { gitleaksParser } from './parsers/gitleaks.ts';
import { grypeParser } from './parsers/grype.ts';
import { npmAuditParser } from './parsers/npm-audit.ts';
import { nucleiParser } from './parsers/nuclei.ts';
import { osvScannerParser } from './parsers/osv-scanner.ts';
import { sarifParser } from './parsers/sarif.ts';
import { semgrepParser } from './parsers/semgrep.ts';
import { snykParser } from './parsers/snyk.ts';
import { tfsecParser } from './parsers/tfsec.ts';
import { trivyParser } from './parsers/trivy.ts';
import type { ReportFormat, ReportParser } from './parsers/types.ts';
import { zapParser } from './parsers/zap.ts';

/** The parser of every supported report format. */
export const reportParsers: Readonly<Record<ReportFormat, ReportParser>> = {
  sarif: sarifParser,
  'cyclonedx-json': cyclonedxJsonParser,
  'cyclonedx-xml': cyclonedxXmlParser,
  trivy: trivyParser,
  grype: grypeParser,
  'npm-audit': npmAuditParser,
  'osv-scanner': osvScannerParser,
  'dependency-check': dependencyCheckParser,
  snyk: snykParser,
  'github-dependabot': githubDependabotParser,
  gitleaks: gitleaksParser,
  semgrep: semgrepParser,
  zap: zapParser,
  checkov: checkovParser,
  tfsec: tfsecParser,
  nuclei: nucleiParser,
  bandit: banditParser,
  'generic-json': genericJsonParser,
  'generic-csv': genericCsvParser,
};
