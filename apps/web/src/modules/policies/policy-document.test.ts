import { MantineProvider } from '@mantine/core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PolicyDocument, policyFileUrls } from './policy-document.tsx';

const versionId = '11111111-2222-4333-8444-555555555555';

function render(format: 'pdf' | 'docx', audience: 'reader' | 'me'): string {
  const file = {
    evidenceId: '66666666-7777-4888-8999-000000000000',
    format,
    fileName: `Acceptable use.${format}`,
    mediaType: format === 'pdf' ? 'application/pdf' : 'application/octet-stream',
    sizeBytes: 2048,
    sha256: 'a'.repeat(64),
  };
  return renderToStaticMarkup(
    createElement(
      MantineProvider,
      null,
      createElement(PolicyDocument, { file, versionId, audience }),
    ),
  );
}

describe('policy documents for readers', () => {
  it('addresses the reader and self-service downloads, inline only on request', () => {
    expect(policyFileUrls(versionId, 'reader')).toEqual({
      view: `/api/v1/policy-versions/${versionId}/file?disposition=inline`,
      download: `/api/v1/policy-versions/${versionId}/file`,
    });
    expect(policyFileUrls(versionId, 'me').download).toBe(`/api/v1/me/policies/${versionId}/file`);
  });

  it('offers a PDF to open and download, a Word document to download only', () => {
    const pdf = render('pdf', 'me');
    expect(pdf).toContain('Open the PDF');
    expect(pdf).toContain(`href="/api/v1/me/policies/${versionId}/file?disposition=inline"`);
    expect(pdf).toContain('Download the PDF');
    const docx = render('docx', 'reader');
    expect(docx).not.toContain('Open the PDF');
    expect(docx).not.toContain('disposition=inline');
    expect(docx).toContain('Download the Word document');
    expect(docx).toContain('2 KB');
  });
});
