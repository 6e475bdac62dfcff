import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import { AnnexTextError, maxAnnexBytes, parseAnnexText, type ParsedAnnex } from './annex-text.ts';

function parseError(input: Buffer | string, fileName?: string): AnnexTextError {
  try {
    parseAnnexText(input, fileName);
  } catch (error) {
    if (error instanceof AnnexTextError) return error;
    throw error;
  }
  throw new Error('expected an AnnexTextError');
}

function summary(annex: ParsedAnnex): string[] {
  return annex.promises.map(
    (p) => `${p.ref} @${p.line} ${p.leadIn === undefined ? '' : `[${p.leadIn}] `}${p.text}`,
  );
}

describe.skipIf(!hasSharedData('seed', 'security-measures-annex.txt'))('the seed annex', () => {
  const path = sharedPath('seed', 'security-measures-annex.txt');
  const bytes = readFileSync(path);
  const sourceLines = bytes.toString('utf8').split('\n');
  const annex = parseAnnexText(bytes, 'security-measures-annex.txt');

  it('gives 13 numbered sections at their lines', () => {
    expect(annex.title).toBeNull();
    expect(annex.sections.map((s) => s.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
    expect(annex.sections.map((s) => s.line)).toEqual([
      5, 12, 20, 27, 34, 41, 48, 55, 61, 67, 73, 79, 83,
    ]);
    expect(annex.sections[0]?.title).toBe('Information Security Governance');
    expect(annex.sections[4]?.title).toBe('Secure Development Lifecycle (SDLC)');
    expect(annex.sections[12]?.title).toBe('Customer Responsibilities (Shared Responsibility)');
  });

  it('gives exactly 45 promises, 1.1 to 13.3, each at the line of its bullet', () => {
    const perSection = [4, 5, 4, 4, 4, 4, 4, 3, 3, 3, 3, 1, 3];
    const refs = perSection.flatMap((count, s) =>
      Array.from({ length: count }, (_, i) => `${s + 1}.${i + 1}`),
    );
    expect(annex.promises).toHaveLength(45);
    expect(annex.promises.map((p) => p.ref)).toEqual(refs);
    for (const promise of annex.promises) {
      const source = sourceLines[promise.line - 1]?.trim().replace(/^•\s*/, '');
      expect(promise.text).toBe(source);
      expect(promise.sectionTitle).toBe(annex.sections[promise.sectionNumber - 1]?.title);
    }
    expect(annex.promises.map((p) => p.line).slice(0, 6)).toEqual([7, 8, 9, 10, 14, 15]);
    expect(annex.promises.at(-1)?.line).toBe(89);
  });

  it('reads the promises as written', () => {
    const byRef = new Map(annex.promises.map((p) => [p.ref, p]));
    expect(byRef.get('2.3')?.text).toBe(
      'Multi-factor authentication (MFA) for administrative access and privileged systems.',
    );
    expect(byRef.get('12.1')?.text).toMatch(/^Production hosting environments .* monitoring\.$/);
    expect(byRef.get('6.4')?.sectionTitle).toBe('Vulnerability Management');
  });

  it('keeps the lead-in of the customer responsibilities as context, not as a promise', () => {
    const customer = annex.promises.filter((p) => p.sectionNumber === 13);
    expect(customer.map((p) => p.leadIn)).toEqual([
      'Customer is responsible for',
      'Customer is responsible for',
      'Customer is responsible for',
    ]);
    expect(customer[0]?.text).toBe(
      'Configuring access controls, SSO/MFA where available, and user permissions.',
    );
    expect(annex.promises.filter((p) => p.sectionNumber !== 13 && p.leadIn !== undefined)).toEqual(
      [],
    );
  });

  it('keeps the preamble, which yields no promise', () => {
    expect(annex.preamble).toMatch(/^Last Updated: September 18, 2024\n\nDQLabs maintains /);
    expect(annex.preamble).toMatch(/overall security of the Service\.$/);
    expect(annex.promises.some((p) => p.sectionNumber === 0)).toBe(false);
  });

  it('reads the same from a string, with CRLF line ends and a BOM', () => {
    const text = bytes.toString('utf8');
    expect(parseAnnexText(text)).toEqual(annex);
    const windows = Buffer.from(`\uFEFF${text.replace(/\n/g, '\r\n')}`, 'utf8');
    expect(parseAnnexText(windows)).toEqual(annex);
  });
});

describe('parseAnnexText on Markdown', () => {
  const markdown = [
    '# Acme Security Annex', //  1
    '',
    '_Effective 1 March 2025._ This annex describes the measures of **Acme Ltd**.',
    '',
    '## 1. Access control', //  5
    '',
    '- **MFA** is required for all [administrative access](https://acme.test/mfa).',
    '- Access rights are reviewed *quarterly*.',
    '- Accounts are provisioned through the identity provider:',
    '  - joiners get access on day one;', // 10
    '  - leavers lose access within 24 hours; and',
    '  - movers are reviewed.',
    '',
    '### Passwords',
    '', // 15
    '* Passwords are hashed with `argon2id`.',
    '',
    '## 2. Encryption',
    '',
    '+ Customer data is encrypted at rest (AES-256) and in transit (TLS 1.2+).', // 20
    '',
  ].join('\n');

  it('takes sections from the headings and promises from the bullets', () => {
    const annex = parseAnnexText(markdown, 'annex.md');
    expect(annex.title).toBe('Acme Security Annex');
    expect(annex.preamble).toBe(
      'Effective 1 March 2025. This annex describes the measures of Acme Ltd.',
    );
    expect(annex.sections).toEqual([
      { number: 1, title: 'Access control', line: 5 },
      { number: 2, title: 'Encryption', line: 18 },
    ]);
    expect(summary(annex)).toEqual([
      '1.1 @7 MFA is required for all administrative access.',
      '1.2 @8 Access rights are reviewed quarterly.',
      '1.3 @10 [Accounts are provisioned through the identity provider] joiners get access on day one',
      '1.4 @11 [Accounts are provisioned through the identity provider] leavers lose access within 24 hours',
      '1.5 @12 [Accounts are provisioned through the identity provider] movers are reviewed.',
      '1.6 @16 [Passwords] Passwords are hashed with argon2id.',
      '2.1 @20 Customer data is encrypted at rest (AES-256) and in transit (TLS 1.2+).',
    ]);
    expect(annex.promises[0]).toEqual({
      ref: '1.1',
      sectionNumber: 1,
      sectionTitle: 'Access control',
      text: 'MFA is required for all administrative access.',
      line: 7,
    });
  });

  it('keeps the numbers of numbered headings, and numbers them in order otherwise', () => {
    const gaps = parseAnnexText('## 2. Access\n- MFA.\n\n## 5. Logging\n- Central logs.\n');
    expect(gaps.sections.map((s) => [s.number, s.title])).toEqual([
      [2, 'Access'],
      [5, 'Logging'],
    ]);
    expect(gaps.promises.map((p) => p.ref)).toEqual(['2.1', '5.1']);
    const mixed = parseAnnexText('## Scope\n- Production.\n\n## 1. Access\n- MFA.\n');
    expect(mixed.sections.map((s) => [s.number, s.title])).toEqual([
      [1, 'Scope'],
      [2, 'Access'],
    ]);
  });

  it('reads bold lines and setext underlines as headings, tables as promises', () => {
    const bold = parseAnnexText(
      '**Access Control**\n\n- MFA for admins.\n\n**Encryption:**\n\n- TLS.\n',
    );
    expect(bold.sections.map((s) => s.title)).toEqual(['Access Control', 'Encryption']);
    const setext = parseAnnexText('Access\n======\n\n- MFA.\n\nLogging\n-------\n\n- Logs.\n');
    expect(setext.title).toBe('Access');
    expect(setext.sections.map((s) => s.title)).toEqual(['Logging']);
    expect(setext.promises.map((p) => p.ref)).toEqual(['0.1', '1.1']);
    const table = parseAnnexText(
      '## Controls\n\n| Area | Measure |\n|---|---|\n| Access | MFA for admins |\n| Backups | Daily |\n',
    );
    expect(summary(table)).toEqual(['1.1 @5 Access — MFA for admins', '1.2 @6 Backups — Daily']);
  });

  it('ignores code blocks, comments and link definitions', () => {
    const annex = parseAnnexText(
      [
        '## Access',
        '<!-- draft',
        '- not a promise',
        '-->',
        '```',
        '- not a promise either',
        '```',
        '[mfa]: https://acme.test/mfa',
        '- Admins use [MFA][mfa].',
      ].join('\n'),
    );
    expect(summary(annex)).toEqual(['1.1 @9 Admins use MFA.']);
  });
});

describe('parseAnnexText on plain text', () => {
  it('reads "Section n - Title" headings with numbered promises and a lead-in', () => {
    const annex = parseAnnexText(
      [
        'ACME SECURITY MEASURES',
        '',
        'Section 1 - Organisation',
        '',
        '1. A named security officer owns the programme.',
        '2. Security policies are approved by management',
        '   and reviewed every year.',
        '',
        'Section 2 - Operations',
        '',
        'Acme operates the following controls:',
        '1. Vulnerability scans run weekly.',
        '2. Critical vulnerabilities are fixed within 7 days.',
      ].join('\n'),
    );
    expect(annex.title).toBe('ACME SECURITY MEASURES');
    expect(annex.sections.map((s) => [s.number, s.title, s.line])).toEqual([
      [1, 'Organisation', 3],
      [2, 'Operations', 9],
    ]);
    expect(summary(annex)).toEqual([
      '1.1 @5 A named security officer owns the programme.',
      '1.2 @6 Security policies are approved by management and reviewed every year.',
      '2.1 @12 [Acme operates the following controls] Vulnerability scans run weekly.',
      '2.2 @13 [Acme operates the following controls] Critical vulnerabilities are fixed within 7 days.',
    ]);
  });

  it('reads letter and roman headings, with lettered promises', () => {
    const letters = parseAnnexText(
      'A. Technical Measures\n\na) Firewalls deny inbound traffic.\nb) Logs are kept.\n\n' +
        'B. Organisational Measures\n\n(a) Staff sign an NDA.\n',
    );
    expect(letters.sections.map((s) => [s.number, s.title])).toEqual([
      [1, 'Technical Measures'],
      [2, 'Organisational Measures'],
    ]);
    expect(letters.promises.map((p) => `${p.ref} ${p.text}`)).toEqual([
      '1.1 Firewalls deny inbound traffic.',
      '1.2 Logs are kept.',
      '2.1 Staff sign an NDA.',
    ]);
    const roman = parseAnnexText('I. Governance\n   • Policies.\n\nII. Access\n   • MFA.\n');
    expect(roman.sections.map((s) => [s.number, s.title])).toEqual([
      [1, 'Governance'],
      [2, 'Access'],
    ]);
  });

  it('reads title-case lines as headings when nothing else marks sections', () => {
    const annex = parseAnnexText(
      'Access Control\n1. MFA for admins.\n2. Reviews quarterly\n\nEncryption\n1. TLS everywhere.\n',
    );
    expect(annex.sections.map((s) => s.title)).toEqual(['Access Control', 'Encryption']);
    expect(annex.promises.map((p) => p.ref)).toEqual(['1.1', '1.2', '2.1']);
  });

  it('reads a numbered list without headings as promises outside any section', () => {
    const annex = parseAnnexText('Our commitments\n\n1. MFA everywhere\n2. Backups daily\n');
    expect(annex.title).toBe('Our commitments');
    expect(annex.sections).toEqual([]);
    expect(summary(annex)).toEqual(['0.1 @3 MFA everywhere', '0.2 @4 Backups daily']);
    expect(annex.promises[0]?.sectionTitle).toBe('');
  });

  it('joins wrapped items, keeps hyphenated words and drops the "; and" of legal lists', () => {
    const annex = parseAnnexText(
      [
        '1. Customer data is encrypted in transit using TLS 1.2 or',
        '   higher;',
        '2. Admin',
        '   access requires MFA and role-',
        '   based access control; and',
        '3. Logs are kept',
        'for a year.',
      ].join('\n'),
    );
    expect(summary(annex)).toEqual([
      '0.1 @1 Customer data is encrypted in transit using TLS 1.2 or higher',
      '0.2 @3 Admin access requires MFA and role-based access control',
      '0.3 @6 Logs are kept for a year.',
    ]);
  });

  it('splits prose into the sentences that commit to something', () => {
    const annex = parseAnnexText(
      [
        'Acme encrypts customer data at rest using AES-256. All traffic is encrypted in transit',
        'with TLS 1.2 or higher. Our engineering team is based in Lisbon and Toronto. Access',
        'rights are reviewed every quarter by system owners.',
        '',
        "Backups are taken daily. We believe security is everyone's job. Security incidents",
        'will be reported to affected customers within 72 hours, e.g. by email.',
        'This document may be updated from time to time.',
      ].join('\n'),
    );
    expect(summary(annex)).toEqual([
      '0.1 @1 Acme encrypts customer data at rest using AES-256.',
      '0.2 @1 All traffic is encrypted in transit with TLS 1.2 or higher.',
      '0.3 @2 Access rights are reviewed every quarter by system owners.',
      '0.4 @5 Backups are taken daily.',
      '0.5 @5 Security incidents will be reported to affected customers within 72 hours, e.g. by email.',
    ]);
  });

  it('splits the prose of a section, but not of the preamble', () => {
    const annex = parseAnnexText(
      [
        'Acme maintains a security program. The measures below may change.',
        '',
        '1) Logging',
        '',
        'Security events are logged centrally. The platform is built on Kubernetes.',
        'Logs are retained for 12 months and reviewed daily.',
      ].join('\n'),
    );
    expect(annex.preamble).toBe(
      'Acme maintains a security program. The measures below may change.',
    );
    expect(summary(annex)).toEqual([
      '1.1 @5 Security events are logged centrally.',
      '1.2 @6 Logs are retained for 12 months and reviewed daily.',
    ]);
  });

  it('handles tabs, non-breaking spaces and old Mac line ends', () => {
    const annex = parseAnnexText('1)\tAccess\r\r\t•\u00A0MFA\u00A0for admins.\r\t•\tReviews.\r');
    expect(annex.sections).toEqual([{ number: 1, title: 'Access', line: 1 }]);
    expect(summary(annex)).toEqual(['1.1 @3 MFA for admins.', '1.2 @4 Reviews.']);
  });

  it('decodes UTF-16 text saved by Windows editors', () => {
    const utf16 = Buffer.from('\uFEFF- MFA for admins.\n- Backups.\n', 'utf16le');
    expect(parseAnnexText(utf16).promises.map((p) => p.text)).toEqual([
      'MFA for admins.',
      'Backups.',
    ]);
  });
});

describe('parseAnnexText refuses what it cannot read', () => {
  it('refuses PDF, Word, ZIP, images and HTML with a message naming the file', () => {
    expect(parseError(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'annex.pdf').message).toBe(
      'annex.pdf looks like a PDF file; paste the text or upload Markdown or plain text',
    );
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(parseError(zip, 'annex.docx').message).toBe(
      'annex.docx looks like a Word document (DOCX); paste the text or upload Markdown or plain text',
    );
    expect(parseError(zip, 'C:\\Users\\me\\annex.zip').message).toMatch(
      /^annex\.zip looks like a ZIP archive/,
    );
    expect(parseError(zip).message).toMatch(/^The annex looks like a ZIP archive/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(parseError(png, 'scan.png').message).toMatch(/^scan\.png looks like an image;/);
    expect(parseError('<!DOCTYPE html><html><body>- MFA</body></html>').message).toMatch(
      /looks like an HTML page/,
    );
  });

  it('refuses binary content and text that is not UTF-8, with the line', () => {
    expect(parseError(Buffer.from('- MFA\u0000\u0001'), 'annex.txt').message).toBe(
      'annex.txt looks like a binary file; paste the text or upload Markdown or plain text',
    );
    const latin1 = Buffer.from('- MFA.\n- Données chiffrées.\n', 'latin1');
    const notUtf8 = parseError(latin1, 'annex.txt');
    expect(notUtf8.message).toMatch(/^annex\.txt is not UTF-8 text \(first bad byte on line 2\)/);
    expect(notUtf8.where).toEqual({ line: 2 });
    const control = parseError('- MFA.\n- Backups\u0007.\n');
    expect(control.message).toMatch(/holds binary data \(a control character on line 2\)/);
  });

  it('refuses empty input and input without promises', () => {
    expect(parseError('', 'annex.md').message).toBe(
      'annex.md is empty; paste the annex text or upload a Markdown or plain-text file',
    );
    expect(parseError(Buffer.from('\uFEFF \r\n\t\n')).message).toMatch(/^The annex is empty/);
    expect(parseError('Hello there.\n\nWe like cats.\n').message).toMatch(
      /^The annex holds no promises: Steward reads list items/,
    );
    expect(parseError('## Access\n\nSee the trust center.\n').message).toMatch(/no promises/);
  });

  it('refuses input over 1 MB', () => {
    const big = `- MFA.\n${'x'.repeat(maxAnnexBytes)}`;
    expect(parseError(big, 'big.md').message).toMatch(/^big\.md is 1\.0 MB; the limit is 1 MB/);
    expect(parseError(Buffer.from(big)).message).toMatch(/the limit is 1 MB/);
  });

  it('refuses a promise over 2,000 characters, naming its line', () => {
    const long = `## Access\n\n- MFA.\n- ${'word '.repeat(450)}\n`;
    const error = parseError(long);
    expect(error.message).toBe(
      'The promise on line 4 is 2,249 characters long; the limit is 2,000: split it into shorter bullet points',
    );
    expect(error.where).toEqual({ line: 4 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AnnexTextError');
    const prose = parseError(`## Access\n\nWe will ${'really '.repeat(20_000)}care.\n`);
    expect(prose.where).toEqual({ line: 3 });
  });
});
