import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { bearer } from './factories.ts';
import type { TestApp } from './harness.ts';

/** A report to upload: its name, bytes and media type (default application/octet-stream). */
export interface ReportUpload {
  name: string;
  content: Buffer | string;
  type?: string;
}

/** A multipart body with text fields and one `file` part. */
export function multipartBody(
  fields: Record<string, string>,
  file?: ReportUpload,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----steward${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POST /api/v1/scans as `user`. */
export function postScan(
  t: TestApp,
  user: { token: string },
  fields: Record<string, string>,
  file?: ReportUpload,
) {
  const body = multipartBody(fields, file);
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/scans',
    headers: { ...bearer(user), ...body.headers },
    payload: body.payload,
  });
}

/** A report file from disk as an upload. */
export async function reportFromFile(path: string): Promise<ReportUpload> {
  return { name: basename(path), content: await readFile(path) };
}

/** A SARIF 2.1.0 log of one tool with results `{ rule, file, line }`. */
export function sarifReport(
  results: { rule: string; file: string; line: number; level?: string }[],
  tool = 'TestScanner',
): ReportUpload {
  const rules = [...new Set(results.map((r) => r.rule))].map((id) => ({
    id,
    shortDescription: { text: `Rule ${id}` },
  }));
  return {
    name: 'report.sarif',
    content: JSON.stringify({
      version: '2.1.0',
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      runs: [
        {
          tool: { driver: { name: tool, rules } },
          results: results.map((r) => ({
            ruleId: r.rule,
            level: r.level ?? 'error',
            message: { text: `Problem ${r.rule} in ${r.file}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file },
                  region: { startLine: r.line },
                },
              },
            ],
          })),
        },
      ],
    }),
  };
}

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
