import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../src/platform/logger/logger.ts';
import { startJobRunner, type JobRunner } from '../src/platform/jobs/jobs.ts';
import { findFreePort } from './ports.ts';
import { createTestApp, type TestApp } from './harness.ts';

/** One email as the catcher received and parsed it. */
export interface CaughtMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server on loopback that keeps every message it receives. */
export interface MailCatcher {
  port: number;
  messages: CaughtMail[];
  /** Resolve with the first message to `to` not yet taken, waiting for it to arrive. */
  nextMailTo(to: string): Promise<CaughtMail>;
  close(): Promise<void>;
}

/** Start an in-process SMTP server (no TLS, no auth) that parses what it receives. */
export async function startMailCatcher(): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          messages.push({
            from: parsed.from?.text ?? '',
            to: to?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    messages,
    async nextMailTo(to) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = messages.find((m) => m.to === to && !taken.has(m));
        if (found) {
          taken.add(found);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Environment that points a test app's SMTP settings at a catcher. */
export function smtpEnv(catcher: MailCatcher): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(catcher.port),
    SMTP_FROM: 'Steward <steward@example.test>',
  };
}

/** Start a worker for a test app's jobs and bind it to the app's queue, as the runtime does. */
export async function startTestWorker(t: TestApp): Promise<JobRunner> {
  const runner = await startJobRunner({
    url: t.databaseUrl,
    jobs: t.jobs,
    logger: createLogger('silent'),
    work: true,
  });
  t.jobQueue.bind(runner);
  return runner;
}

/** The token of the first link in a mail body that points at `path`. */
export function linkToken(mail: CaughtMail, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in mail: ${mail.text}`);
  return match[1];
}

/** A test app that mails through a real SMTP catcher and runs its jobs, with one close for all. */
export interface MailTestApp {
  app: TestApp;
  catcher: MailCatcher;
  close(): Promise<void>;
}

/** Start an SMTP catcher, a test app sending to it, and a worker delivering its mail. */
export async function startMailTestApp(): Promise<MailTestApp> {
  const catcher = await startMailCatcher();
  const app = await createTestApp({
    ...smtpEnv(catcher),
    PUBLIC_URL: 'https://steward.example.test',
  });
  const worker = await startTestWorker(app);
  return {
    app,
    catcher,
    async close() {
      await worker.stop();
      await app.close();
      await catcher.close();
    },
  };
}
