import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: new URL('http://localhost:8080'),
      isHttps: false,
      database: { url: undefined, appUrl: undefined, poolSize: 10, embeddedPort: 54329 },
      dataDir: path.resolve('./data'),
      runWorker: true,
      trustProxy: false,
      rateLimitPerMinute: 1200,
      authRateLimitPerMinute: 20,
      bodyLimitBytes: 1_048_576,
      evidence: { maxBytes: 100 * 1024 * 1024, s3: undefined },
      scans: { maxBytes: 1024 * 1024 * 1024 },
      session: { idleMinutes: 60, maxHours: 12 },
      masterKey: { current: undefined, previous: [] },
      webDir: undefined,
      logLevel: 'info',
      smtp: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads typed values from their text', () => {
    const config = parseConfig({
      PORT: '9000',
      DATABASE_URL: 'postgresql://u:p@db:5432/steward',
      STEWARD_WORKER: 'no',
      STEWARD_TRUST_PROXY: '1',
      STEWARD_DATA_DIR: '/var/lib/steward',
      SMTP_HOST: 'mail.example.test',
    });
    expect(config.port).toBe(9000);
    expect(config.publicUrl.href).toBe('http://localhost:9000/');
    expect(config.database.url).toBe('postgresql://u:p@db:5432/steward');
    expect(config.runWorker).toBe(false);
    expect(config.trustProxy).toBe(true);
    expect(config.dataDir).toBe('/var/lib/steward');
    expect(config.smtp).toEqual({
      host: 'mail.example.test',
      port: 587,
      user: undefined,
      password: undefined,
      from: 'Steward <steward@localhost>',
      secure: false,
    });
  });

  it('reports every invalid variable in one error, one line each naming the variable', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      HOST: 'h',
    });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT: '))).toBeDefined();
    expect(problems.find((p) => p.startsWith('DATABASE_URL: '))).toMatch(/postgres:\/\//);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL: '))).toBeDefined();
    let error: unknown;
    try {
      parseConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((l) => /^ {2}- ([A-Z_]+): /.exec(l)?.[1])).toEqual([
      'PORT',
      'DATABASE_URL',
    ]);
  });

  it('refuses out-of-range numbers and unknown boolean words', () => {
    const problems = problemsOf({
      PORT: '70000',
      DATABASE_POOL_SIZE: '0',
      STEWARD_WORKER: 'maybe',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_POOL_SIZE',
      'PORT',
      'STEWARD_WORKER',
    ]);
  });

  it('reads STEWARD_MASTER_KEY and refuses one that is not 32 bytes of base64', () => {
    const key = Buffer.alloc(32, 7);
    const config = parseConfig({
      STEWARD_MASTER_KEY: key.toString('base64'),
      STEWARD_MASTER_KEY_PREVIOUS: `${Buffer.alloc(32, 1).toString('base64')},${Buffer.alloc(32, 2).toString('base64')}`,
    });
    expect(config.masterKey.current?.equals(key)).toBe(true);
    expect(config.masterKey.previous).toHaveLength(2);
    const problems = problemsOf({
      STEWARD_MASTER_KEY: Buffer.alloc(16).toString('base64'),
      STEWARD_MASTER_KEY_PREVIOUS: 'nope',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^STEWARD_MASTER_KEY: must be the base64 encoding of exactly 32/),
      expect.stringMatching(/^STEWARD_MASTER_KEY_PREVIOUS: must be base64-encoded 32-byte keys/),
    ]);
  });

  it('reads the evidence bucket, keeps its secret out of serialisation, and names what is missing', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const config = parseConfig({
      STEWARD_EVIDENCE_S3_ENDPOINT: 'http://127.0.0.1:9000',
      STEWARD_EVIDENCE_S3_BUCKET: 'steward-evidence',
      STEWARD_EVIDENCE_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY: secret,
    });
    const s3 = config.evidence.s3;
    expect(s3).toMatchObject({
      bucket: 'steward-evidence',
      region: 'us-east-1',
      accessKeyId: 'AKIAEXAMPLE',
      forcePathStyle: true,
    });
    expect(s3?.endpoint.href).toBe('http://127.0.0.1:9000/');
    expect(s3?.secretAccessKey).toBe(secret);
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(Object.keys(s3 ?? {})).not.toContain('secretAccessKey');

    const aws = parseConfig({
      STEWARD_EVIDENCE_S3_BUCKET: 'steward-evidence',
      STEWARD_EVIDENCE_S3_REGION: 'eu-west-3',
      STEWARD_EVIDENCE_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY: secret,
    });
    expect(aws.evidence.s3?.endpoint.href).toBe('https://s3.eu-west-3.amazonaws.com/');
    expect(aws.evidence.s3?.forcePathStyle).toBe(false);

    const problems = problemsOf({
      STEWARD_EVIDENCE_S3_BUCKET: 'steward-evidence',
      STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY: secret,
      STEWARD_EVIDENCE_MAX_MB: '6000',
    });
    expect(problems).toEqual([
      'STEWARD_EVIDENCE_S3_ACCESS_KEY_ID: required when evidence goes to S3',
      expect.stringMatching(/^STEWARD_EVIDENCE_MAX_MB: at most 5120/),
    ]);
    expect(problems.join('\n')).not.toContain(secret);
    expect(problemsOf({ STEWARD_EVIDENCE_S3_BUCKET: 'No_Such Bucket' })[0]).toMatch(
      /^STEWARD_EVIDENCE_S3_BUCKET: /,
    );
  });

  it('derives isHttps from PUBLIC_URL', () => {
    const https = parseConfig({ PUBLIC_URL: 'https://steward.example.test' });
    expect(https.isHttps).toBe(true);
    expect(https.publicUrl.origin).toBe('https://steward.example.test');
    expect(parseConfig({ PUBLIC_URL: 'http://steward.example.test' }).isHttps).toBe(false);
    expect(problemsOf({ PUBLIC_URL: 'not a url' })[0]).toMatch(/^PUBLIC_URL: /);
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig({
      PORT: '',
      DATABASE_URL: '',
      PUBLIC_URL: '',
      LOG_LEVEL: '',
      STEWARD_WORKER: '',
    });
    expect(config.port).toBe(8080);
    expect(config.database.url).toBeUndefined();
    expect(config.isHttps).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.runWorker).toBe(true);
  });
});

describe('loadConfig', () => {
  it('lets overrides win over the process environment', () => {
    expect(loadConfig({ PORT: '1234', PUBLIC_URL: 'https://a.example.test' }).port).toBe(1234);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
  });
});
