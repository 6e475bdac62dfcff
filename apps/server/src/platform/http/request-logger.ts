import type { FastifyBaseLogger } from 'fastify';
import { levels, type Bindings, type ChildLoggerOptions, type LogFn } from 'pino';

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

function isEnabled(threshold: string, level: LevelName): boolean {
  // 'silent' (or any name pino does not number) enables none.
  const value = levels.values[threshold];
  return value !== undefined && (levels.values[level] ?? 0) >= value;
}

// The methods live on the prototype: a request then allocates one small object, not a closure
// per level.
class LazyRequestLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
  ) {}

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  private log(level: LevelName, args: unknown[]): void {
    if (!isEnabled(this.parent.level, level)) return;
    this.real()[level](...(args as Parameters<LogFn>));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(value: string) {
    this.real().level = value;
  }

  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.log('error', args);
  }

  warn(...args: unknown[]): void {
    this.log('warn', args);
  }

  info(...args: unknown[]): void {
    this.log('info', args);
  }

  debug(...args: unknown[]): void {
    this.log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.log('trace', args);
  }

  silent(): void {
    return undefined;
  }

  child(childBindings: Bindings, childOptions?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(childBindings, childOptions);
  }
}

/**
 * A request's logger: the child of `parent` with the request's bindings, made only when the
 * request logs at an enabled level. Making a pino child costs more CPU than a small request's
 * own work (its bindings are serialised and redacted), and most requests log nothing.
 */
export function createRequestLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  // A route with its own level or serializers gets its child at once.
  if (Object.keys(options).length > 0) return parent.child(bindings, options);
  return new LazyRequestLogger(parent, bindings);
}
