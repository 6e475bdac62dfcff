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
