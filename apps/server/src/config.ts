import { z } from 'zod';
import path from 'node:path';
import { parseMasterKey } from './platform/crypto/envelope.ts';

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_APP_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  STEWARD_DATA_DIR: z.string().min(1).default('./data'),
  STEWARD_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  STEWARD_WORKER: booleanText.default(true),
  STEWARD_TRUST_PROXY: booleanText.default(false),
  STEWARD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  STEWARD_AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  STEWARD_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  STEWARD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(60),
  STEWARD_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  STEWARD_WEB_DIR: z.string().optional(),
  STEWARD_MASTER_KEY: z
    .string()
    .transform((text, ctx) => {
      const key = parseMasterKey(text);
      if (!key) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be the base64 encoding of exactly 32 random bytes (e.g. `openssl rand -base64 32`)',
        });
        return z.NEVER;
      }
      return key;
    })
    .optional(),
  STEWARD_MASTER_KEY_PREVIOUS: z
    .string()
    .transform((text, ctx) => {
      const keys = text.split(',').map((part) => parseMasterKey(part));
      if (keys.some((k) => k === null)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be base64-encoded 32-byte keys separated by commas',
        });
        return z.NEVER;
      }
      return keys.filter((k): k is Buffer => k !== null);
    })
    .optional(),
  STEWARD_EVIDENCE_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(100),
  STEWARD_SCAN_MAX_MB: z.coerce.number().int().min(1).max(65_536).default(1024),
  STEWARD_EVIDENCE_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  STEWARD_EVIDENCE_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 of a-z 0-9 . -)')
    .optional(),
  STEWARD_EVIDENCE_S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'must be a region name such as us-east-1')
    .default('us-east-1'),
  STEWARD_EVIDENCE_S3_ACCESS_KEY_ID: z.string().optional(),
  STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY: z.string().optional(),
  STEWARD_EVIDENCE_S3_FORCE_PATH_STYLE: booleanText.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Steward <steward@localhost>'),
  SMTP_SECURE: booleanText.default(false),
});

/** Steward's configuration, parsed once from the environment and frozen. */
export interface Config {
  port: number;
  host: string;
  publicUrl: URL;
  isHttps: boolean;
  database: {
    url: string | undefined;
    appUrl: string | undefined;
    poolSize: number;
    embeddedPort: number;
  };
  dataDir: string;
  runWorker: boolean;
  trustProxy: boolean;
  rateLimitPerMinute: number;
  authRateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** Evidence uploads: largest file accepted, and the S3-compatible bucket when configured. */
  evidence: { maxBytes: number; s3: EvidenceS3Config | undefined };
  /** Scanner report imports: largest report accepted. */
  scans: { maxBytes: number };
  session: { idleMinutes: number; maxHours: number };
  /** STEWARD_MASTER_KEY (wraps data keys) and older keys still accepted during a rotation. */
  masterKey: { current: Buffer | undefined; previous: Buffer[] };
  webDir: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  smtp:
    | {
        host: string;
        port: number;
        user: string | undefined;
        password: string | undefined;
        from: string;
        secure: boolean;
      }
    | undefined;
}

/** An S3-compatible bucket for evidence files; the secret key is not enumerable, so never logged. */
export interface EvidenceS3Config {
  endpoint: URL;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

// A single S3 PUT carries at most 5 GiB.
const s3MaxObjectMb = 5 * 1024;

function parseEvidenceS3(
  e: z.infer<typeof envSchema>,
  problems: string[],
): EvidenceS3Config | undefined {
  const isWanted =
    e.STEWARD_EVIDENCE_S3_BUCKET !== undefined ||
    e.STEWARD_EVIDENCE_S3_ENDPOINT !== undefined ||
    e.STEWARD_EVIDENCE_S3_ACCESS_KEY_ID !== undefined ||
    e.STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY !== undefined;
  if (!isWanted) return undefined;
  const bucket = e.STEWARD_EVIDENCE_S3_BUCKET;
  const accessKeyId = e.STEWARD_EVIDENCE_S3_ACCESS_KEY_ID;
  const secretAccessKey = e.STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY;
  for (const [name, value] of [
    ['STEWARD_EVIDENCE_S3_BUCKET', bucket],
    ['STEWARD_EVIDENCE_S3_ACCESS_KEY_ID', accessKeyId],
    ['STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY', secretAccessKey],
  ] as const) {
    if (value === undefined) problems.push(`${name}: required when evidence goes to S3`);
  }
  if (e.STEWARD_EVIDENCE_MAX_MB > s3MaxObjectMb) {
    problems.push(
      `STEWARD_EVIDENCE_MAX_MB: at most ${String(s3MaxObjectMb)} when evidence goes to S3 (one PUT per file)`,
    );
  }
  if (bucket === undefined || accessKeyId === undefined || secretAccessKey === undefined) {
    return undefined;
  }
  const region = e.STEWARD_EVIDENCE_S3_REGION;
  const endpoint = e.STEWARD_EVIDENCE_S3_ENDPOINT;
  const s3 = {
    endpoint: new URL(endpoint ?? `https://s3.${region}.amazonaws.com`),
    bucket,
    region,
    accessKeyId,
    // Buckets on S3-compatible servers are usually reached by path; AWS prefers the bucket host.
    forcePathStyle: e.STEWARD_EVIDENCE_S3_FORCE_PATH_STYLE ?? endpoint !== undefined,
  } as EvidenceS3Config;
  Object.defineProperty(s3, 'secretAccessKey', { value: secretAccessKey, enumerable: false });
  return Object.freeze(s3);
}

/** Raised when the environment holds invalid settings; lists one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parse configuration from an environment map; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = result.data;
  const problems: string[] = [];
  const evidenceS3 = parseEvidenceS3(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    isHttps: publicUrl.protocol === 'https:',
    database: {
      url: e.DATABASE_URL,
      appUrl: e.DATABASE_APP_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      embeddedPort: e.STEWARD_EMBEDDED_PG_PORT,
    },
    dataDir: path.resolve(e.STEWARD_DATA_DIR),
    runWorker: e.STEWARD_WORKER,
    trustProxy: e.STEWARD_TRUST_PROXY,
    rateLimitPerMinute: e.STEWARD_RATE_LIMIT_PER_MINUTE,
    authRateLimitPerMinute: e.STEWARD_AUTH_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: e.STEWARD_BODY_LIMIT_BYTES,
    evidence: { maxBytes: e.STEWARD_EVIDENCE_MAX_MB * 1024 * 1024, s3: evidenceS3 },
    scans: { maxBytes: e.STEWARD_SCAN_MAX_MB * 1024 * 1024 },
    session: { idleMinutes: e.STEWARD_SESSION_IDLE_MINUTES, maxHours: e.STEWARD_SESSION_MAX_HOURS },
    masterKey: { current: e.STEWARD_MASTER_KEY, previous: e.STEWARD_MASTER_KEY_PREVIOUS ?? [] },
    webDir: e.STEWARD_WEB_DIR,
    logLevel: e.LOG_LEVEL,
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          from: e.SMTP_FROM,
          secure: e.SMTP_SECURE,
        }
      : undefined,
  };
  return Object.freeze(config);
}

/** Read the configuration of this process from its environment. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Readonly<Config> {
  return parseConfig({ ...process.env, ...overrides });
}
