// The part of newman's Node API the SCIM collection test uses (the package ships no types).
declare module 'newman' {
  /** A variable passed to a run (environment or globals). */
  export interface NewmanVariable {
    key: string;
    value: string;
  }

  /** Options of a collection run. */
  export interface NewmanRunOptions {
    collection: string | object;
    envVar?: NewmanVariable[];
    globalVar?: NewmanVariable[];
    iterationData?: Record<string, string>[];
    folder?: string | string[];
    reporters?: string | string[];
    timeoutRequest?: number;
    color?: 'on' | 'off' | 'auto';
  }

  /** A failed assertion or script error, with the item it happened in. */
  export interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    at: string;
    source?: { name?: string };
  }

  /** One request sent, with its response and the assertions of its test script. */
  export interface NewmanExecution {
    item: { name: string };
    request?: { method: string; url: { toString(): string } };
    response?: { code: number };
    assertions?: { assertion: string; error?: { message: string } }[];
  }

  /** What a run did. */
  export interface NewmanRunSummary {
    run: {
      stats: {
        requests: { total: number; failed: number };
        assertions: { total: number; failed: number };
      };
      failures: NewmanFailure[];
      executions: NewmanExecution[];
      error?: unknown;
    };
  }

  /** Run a collection; the callback gets a fatal error, or the summary. */
  export function run(
    options: NewmanRunOptions,
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): NodeJS.EventEmitter;

  const newman: { run: typeof run };
  export default newman;
}
