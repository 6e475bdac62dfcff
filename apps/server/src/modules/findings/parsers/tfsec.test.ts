import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, countValues, useReportFiles } from './parser-test-helpers.ts';
import { tfsecParser } from './tfsec.ts';

const { collect, errorOf } = bindParser(tfsecParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('tfsecParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'tfsec', file);

  it('reads every failed check', async () => {
    const results = await collect(corpus('many_findings_current.json'));
    expect(results).toHaveLength(19);
    expect(countValues(results.map((result) => result.severity))).toEqual({
      critical: 14,
      high: 3,
      medium: 1,
      low: 1,
    });
    expect(
      countValues(results.map((result) => result.ruleId ?? ''))['aws-vpc-no-public-egress-sgr'],
    ).toBe(6);
  });

  it('maps the fields of a check, the resource taken from the description', async () => {
    const [first] = await collect(corpus('many_findings_current.json'));
    expect(first).toEqual({
      category: 'configuration',
      identityKey:
        'config:aws-vpc-no-excessive-port-access|/tmp/aws-eks/modules/vpc-subnets/resources.tf|module.SUBNETS:aws_network_acl_rule.public_inbound[0]',
      title: 'An ingress Network ACL rule allows ALL ports.',
      severity: 'critical',
      ruleId: 'aws-vpc-no-excessive-port-access',
      vulnerabilityIds: [],
      cwes: [],
      description:
        "Resource 'module.SUBNETS:aws_network_acl_rule.public_inbound[0]' defines a fully open ingress Network ACL rule with ALL ports open.\n\nImpact: All ports exposed for egressing data\n\nAlso known as AWS050.",
      remediation: 'Set specific allowed ports',
      references: [
        'https://tfsec.dev/docs/aws/vpc/no-excessive-port-access#aws/vpc',
        'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl_rule#to_port',
        'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
      ],
      locations: [
        {
          file: '/tmp/aws-eks/modules/vpc-subnets/resources.tf',
          line: 155,
          path: 'module.SUBNETS:aws_network_acl_rule.public_inbound[0]',
        },
      ],
      arrivalState: 'open',
      tool: 'tfsec',
    });
  });

  it('merges two lines of one resource into one identity (rule, file, resource)', async () => {
    const results = await collect(corpus('many_findings_current.json'));
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(17);
    const lines = results
      .filter(
        (result) =>
          result.identityKey ===
          'config:aws-vpc-no-excessive-port-access|/tmp/aws-eks/modules/vpc-subnets/resources.tf|module.SUBNETS:aws_network_acl_rule.private_inbound[0]',
      )
      .map((result) => result.locations[0]?.line);
    expect(lines).toEqual([208, 207]);
  });

  it('reads `"results": null` as an empty report', async () => {
    expect(await collect(corpus('no_findings.json'))).toEqual([]);
  });
});

describe('tfsecParser', () => {
  const { write: fixture } = useReportFiles('steward-tfsec-');
  const check = (overrides: Record<string, unknown>) => ({
    rule_id: 'AVD-AWS-0086',
    long_id: 'aws-s3-block-public-acls',
    rule_description: 'S3 Access block should block public ACL',
    rule_provider: 'aws',
    rule_service: 's3',
    impact: 'PUT calls with public ACLs specified can make objects public',
    resolution: 'Enable blocking any PUT calls with a public ACL specified',
    links: ['https://aquasecurity.github.io/tfsec/v1.28.1/checks/aws/s3/block-public-acls/'],
    description: 'No public access block so not blocking public acls',
    severity: 'HIGH',
    warning: false,
    status: 0,
    resource: 'aws_s3_bucket.data',
    location: { filename: '/src/s3.tf', start_line: 1, end_line: 4 },
    ...overrides,
  });

  it('reads tfsec 1.x results: long id, resource and numeric status', async () => {
    const path = await fixture('v1.json', {
      results: [
        check({}),
        check({ status: 1, resource: 'aws_s3_bucket.passing' }),
        check({ status: 2, resource: 'aws_s3_bucket.ignored', severity: 'LOW' }),
      ],
    });
    const results = await collect(path);
    expect(
      results.map((result) => [result.identityKey, result.severity, result.arrivalState]),
    ).toEqual([
      ['config:aws-s3-block-public-acls|/src/s3.tf|aws_s3_bucket.data', 'high', 'open'],
      ['config:aws-s3-block-public-acls|/src/s3.tf|aws_s3_bucket.ignored', 'low', 'risk_accepted'],
    ]);
    expect(results[0]).toMatchObject({
      ruleId: 'aws-s3-block-public-acls',
      locations: [{ file: '/src/s3.tf', line: 1, path: 'aws_s3_bucket.data' }],
    });
    expect(results[0]?.description).toContain('Also known as AVD-AWS-0086.');
    expect(results[1]?.arrivalReason).toBe('ignored with a tfsec:ignore comment');
  });

  it('maps the severities of tfsec before 0.40', async () => {
    const path = await fixture('old.json', {
      results: ['ERROR', 'WARNING', 'INFO'].map((severity, i) =>
        check({ severity, resource: `r${i}` }),
      ),
    });
    expect((await collect(path)).map((result) => result.severity)).toEqual([
      'high',
      'medium',
      'low',
    ]);
  });

  it('falls back to the line when no resource is named', async () => {
    const path = await fixture('no-resource.json', {
      results: [check({ resource: undefined, description: 'Bucket is public' })],
    });
    const [result] = await collect(path);
    expect(result?.identityKey).toBe('config:aws-s3-block-public-acls|/src/s3.tf|line:1');
  });

  it('refuses an unknown severity and a result without location', async () => {
    const severity = await errorOf(
      await fixture('bad-severity.json', { results: [check({ severity: 'SEVERE' })] }),
    );
    expect(severity.message).toBe('results[0].severity: unknown severity "SEVERE"');
    const location = await errorOf(
      await fixture('no-location.json', { results: [check({ location: null })] }),
    );
    expect(location.message).toBe('results[0]: a result needs "rule_id" and "location.filename"');
  });

  it('refuses reports of other formats', async () => {
    expect((await errorOf(await fixture('array.json', [check({})]))).message).toMatch(
      /not a tfsec report/,
    );
    expect((await errorOf(await fixture('other.json', { runs: [] }))).message).toBe(
      'not a tfsec report: no "results"',
    );
  });

  it('refuses zero-byte, truncated and invalid files', async () => {
    expect((await errorOf(await fixture('zero.json', ''))).message).toBe('the file is empty');
    const truncated = await errorOf(
      await fixture('truncated.json', '{\n"results": [\n{"rule_id":'),
    );
    expect(truncated.message).toMatch(/ends too early at line 3/);
    const invalid = await errorOf(await fixture('invalid.json', '{"results": [,]}'));
    expect(invalid.message).toMatch(/^invalid JSON at line 1, column 14/);
  });
});
