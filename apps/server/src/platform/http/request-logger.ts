import type { FastifyBaseLogger } from 'fastify';
import { levels, type Bindings, type ChildLoggerOptions, type LogFn } from 'pino';

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

function isEnabled(threshold: string, level: LevelName): boolean {
  // 'silent' (or any name pino does not number) enables none.
  const value = levels.values[threshold];
  return value !== undefined && (levels.values[level] ?? 0) >= value;
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
  let child: FastifyBaseLogger | null = null;
  const real = (): FastifyBaseLogger => (child ??= parent.child(bindings));
  const method =
    (level: LevelName): LogFn =>
    (...args: unknown[]) => {
      if (!isEnabled(parent.level, level)) return;
      real()[level](...(args as Parameters<LogFn>));
    };
  return {
    get level() {
      return child?.level ?? parent.level;
    },
    set level(value: string) {
      real().level = value;
    },
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    silent: () => undefined,
    child: (childBindings: Bindings, childOptions?: ChildLoggerOptions) =>
      real().child(childBindings, childOptions),
  };
}
