import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { checkovParser } from './checkov.ts';

const { collect, errorOf } = bindParser(checkovParser);

function failedCheck(overrides: Record<string, unknown>) {
  return {
    check_id: 'CKV_AWS_20',
    bc_check_id: 'BC_AWS_S3_1',
    check_name: 'S3 Bucket has an ACL defined which allows public READ access.',
    check_result: { result: 'FAILED', evaluated_keys: ['acl'] },
    code_block: [[1, 'resource "aws_s3_bucket" "data" {\n']],
    file_path: '/main.tf',
    file_abs_path: '/src/main.tf',
    repo_file_path: '/main.tf',
    file_line_range: [1, 8],
    resource: 'aws_s3_bucket.data',
    evaluations: null,
    check_class: 'checkov.terraform.checks.resource.aws.S3PublicACLRead',
    severity: null,
    guideline:
      'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/s3-policies/s3-1-acl-read-permissions-everyone',
    ...overrides,
  };
}

function report(checkType: string, failed: unknown[], passed: unknown[] = []) {
  return {
    check_type: checkType,
    results: {
      passed_checks: passed,
      failed_checks: failed,
      skipped_checks: [failedCheck({ check_id: 'CKV_AWS_18' })],
      parsing_errors: [],
    },
    summary: { passed: passed.length, failed: failed.length, skipped: 1, parsing_errors: 0 },
  };
}

describe.skipIf(!hasSharedData('corpus', 'scans'))('checkovParser on the corpus', () => {
  it('reads a report without failed checks as an empty report', async () => {
    const path = sharedPath('corpus', 'scans', 'checkov', 'checkov-report-0-vuln.json');
    expect(await collect(path)).toEqual([]);
  });
});

describe('checkovParser', () => {
  const { write: fixture } = useReportFiles('steward-checkov-');

  it('reads the failed checks of one framework, not the passed or skipped ones', async () => {
    const path = await fixture(
      'terraform.json',
      report('terraform', [failedCheck({})], [failedCheck({ check_id: 'CKV_AWS_21' })]),
    );
    const results = await collect(path);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      category: 'configuration',
      identityKey: 'config:CKV_AWS_20|/main.tf|aws_s3_bucket.data',
      title: 'S3 Bucket has an ACL defined which allows public READ access.',
      ruleId: 'CKV_AWS_20',
      // Without a platform connection checkov leaves the severity null.
      severity: 'medium',
      locations: [{ file: '/main.tf', line: 1, path: 'aws_s3_bucket.data' }],
      references: [
        'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/s3-policies/s3-1-acl-read-permissions-everyone',
      ],
      arrivalState: 'open',
      tool: 'checkov',
    });
  });

  it('reads an array of framework reports and the severities it is given', async () => {
    const path = await fixture('many.json', [
      report('terraform', [failedCheck({ severity: 'HIGH' })]),
      report('kubernetes', [
        failedCheck({
          check_id: 'CKV_K8S_20',
          check_name: 'Containers should not run with allowPrivilegeEscalation',
          file_path: '/k8s/deploy.yaml',
          file_line_range: [1, 30],
          resource: 'Deployment.default.web',
          severity: 'CRITICAL',
        }),
      ]),
    ]);
    const results = await collect(path);
    expect(results.map((result) => [result.identityKey, result.severity])).toEqual([
      ['config:CKV_AWS_20|/main.tf|aws_s3_bucket.data', 'high'],
      ['config:CKV_K8S_20|/k8s/deploy.yaml|Deployment.default.web', 'critical'],
    ]);
  });

  it('gives the same check on another resource of the same file another identity', async () => {
    const path = await fixture(
      'two-resources.json',
      report('terraform', [
        failedCheck({}),
        failedCheck({ resource: 'aws_s3_bucket.logs', file_line_range: [10, 18] }),
        failedCheck({ file_line_range: [2, 8] }),
      ]),
    );
    const keys = (await collect(path)).map((result) => result.identityKey);
    expect(new Set(keys).size).toBe(2);
    expect(keys[0]).toBe(keys[2]);
  });

  it('reads the vulnerability of an SCA check', async () => {
    const path = await fixture(
      'sca.json',
      report('sca_package', [
        failedCheck({
          check_id: 'CKV_CVE_2022_42889',
          check_name: 'Arbitrary code execution in Apache Commons Text',
          file_path: '/pom.xml',
          resource: 'pom.xml.org.apache.commons:commons-text',
          severity: 'CRITICAL',
          vulnerability_details: {
            id: 'CVE-2022-42889',
            package_name: 'org.apache.commons:commons-text',
            package_version: '1.9',
          },
        }),
      ]),
    );
    const [result] = await collect(path);
    expect(result).toMatchObject({
      vulnerabilityIds: ['CVE-2022-42889'],
      packageName: 'org.apache.commons:commons-text',
      packageVersion: '1.9',
      severity: 'critical',
    });
  });

  it('reads the summary checkov prints when it scanned nothing', async () => {
    const path = await fixture('nothing.json', {
      passed: 0,
      failed: 0,
      skipped: 0,
      parsing_errors: 0,
      resource_count: 0,
      checkov_version: '3.2.0',
    });
    expect(await collect(path)).toEqual([]);
  });

  it('refuses a failed check without id or file, naming its JSON path', async () => {
    const path = await fixture('no-id.json', [
      report('terraform', [failedCheck({}), failedCheck({ check_id: null })]),
    ]);
    const error = await errorOf(path);
    expect(error.message).toBe(
      '[0].results.failed_checks[1]: a failed check needs "check_id" and "file_path"',
    );
  });

  it('refuses reports of other formats', async () => {
    expect((await errorOf(await fixture('other.json', { matches: [] }))).message).toBe(
      'not a Checkov report: no "check_type" or "results"',
    );
    expect((await errorOf(await fixture('string.json', '"text"'))).message).toMatch(
      /not a Checkov report/,
    );
  });

  it('refuses zero-byte, truncated and invalid files', async () => {
    expect((await errorOf(await fixture('zero.json', ''))).message).toBe('the file is empty');
    const truncated = await errorOf(
      await fixture('truncated.json', '{\n  "check_type": "terraform",\n  "results": {'),
    );
    expect(truncated.message).toMatch(/ends too early at line 3/);
    const invalid = await errorOf(await fixture('invalid.json', '{"check_type": terraform}'));
    expect(invalid.message).toMatch(/^invalid JSON at line 1, column 16/);
  });
});
