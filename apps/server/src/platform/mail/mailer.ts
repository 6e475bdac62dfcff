import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Logger } from '../logger/logger.ts';

/** One outgoing email: plain text and a simple HTML alternative. */
export const mailMessageSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  text: z.string().min(1),
  html: z.string().min(1),
});

/** An outgoing email. */
export type MailMessage = z.infer<typeof mailMessageSchema>;

/** Delivers email now; used by the `mail.send` job, never directly by a request. */
export interface Mailer {
  isConfigured: boolean;
  deliver(message: MailMessage): Promise<void>;
}

/**
 * Create the mailer from the SMTP settings. Without SMTP_HOST nothing is sent: the attempt is
 * logged with its recipient and subject only, since the body carries single-use links.
 */
export function createMailer(deps: { smtp: Config['smtp']; logger: Logger }): Mailer {
  const log = deps.logger.child({ component: 'mail' });
  const smtp = deps.smtp;
  if (!smtp) {
    return {
      isConfigured: false,
      async deliver(message) {
        await Promise.resolve();
        log.warn({ to: message.to, subject: message.subject }, 'SMTP is not configured; not sent');
      },
    };
  }
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
  return {
    isConfigured: true,
    async deliver(message) {
      await transport.sendMail({ from: smtp.from, ...message });
      log.info({ to: message.to, subject: message.subject }, 'mail sent');
    },
  };
}
