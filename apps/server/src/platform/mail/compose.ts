import type { MailMessage } from './mailer.ts';

/** The parts of a transactional email; bodies are written by us, never by users. */
export interface MailContent {
  to: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  action: { label: string; url: string };
  footer: string;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Render an email as plain text and simple HTML; every interpolated value is escaped. */
export function composeMail(content: MailContent): MailMessage {
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    `${content.action.label}: ${content.action.url}`,
    '',
    content.footer,
    '',
  ].join('\n');
  const paragraph = (p: string) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`;
  const url = escapeHtml(content.action.url);
  const html = [
    '<!doctype html>',
    '<html><body style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#1a1b1e">',
    paragraph(content.greeting),
    ...content.paragraphs.map(paragraph),
    `<p style="margin:24px 0"><a href="${url}" style="background:#228be6;color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:#555">Or paste this address into your browser: ${url}</p>`,
    `<p style="margin:0;font-size:13px;color:#555">${escapeHtml(content.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { to: content.to, subject: content.subject, text, html };
}
