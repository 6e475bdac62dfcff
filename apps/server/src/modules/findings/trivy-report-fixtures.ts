import type { ReportUpload } from '../../../test/findings-factories.ts';

/** Where a Trivy report's vulnerabilities were found: the scanned artifact and one target in it. */
export interface TrivyTarget {
  artifact: string;
  target: string;
  type: string;
}

/** A Trivy JSON report (SchemaVersion 2) of one target with these vulnerabilities, as an upload. */
export function trivyReport(
  where: TrivyTarget,
  vulnerabilities: Record<string, unknown>[],
): ReportUpload {
  return {
    name: 'trivy.json',
    content: JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: where.artifact,
      Results: [{ Target: where.target, Type: where.type, Vulnerabilities: vulnerabilities }],
    }),
  };
}
