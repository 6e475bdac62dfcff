import { describe, expect, it } from 'vitest';
import { buildDocx, buildPdf, buildZip, contentTypesXml } from '../../../test/policy-fixtures.ts';
import { inspectPolicyFile } from './policy-file.ts';
import { readZipDirectory, readZipEntry, ZipFormatError } from './zip-directory.ts';

describe('ZIP central directory', () => {
  it('lists entries and reads stored and deflated ones', () => {
    const zip = buildZip([
      { name: 'a.txt', content: 'plain', stored: true },
      { name: 'dir/b.xml', content: '<x>deflated</x>'.repeat(50) },
    ]);
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'dir/b.xml']);
    const [a, b] = entries;
    if (!a || !b) throw new Error('entries missing');
    expect(readZipEntry(zip, a, 100).toString()).toBe('plain');
    expect(readZipEntry(zip, b, 10_000).toString()).toBe('<x>deflated</x>'.repeat(50));
  });

  it('refuses truncated archives and entries that inflate beyond the limit', () => {
    const zip = buildZip([{ name: 'big.xml', content: 'a'.repeat(100_000) }]);
    expect(() => readZipDirectory(zip.subarray(0, zip.length - 5))).toThrow(ZipFormatError);
    expect(() => readZipDirectory(Buffer.from('PK'))).toThrow(ZipFormatError);
    const [entry] = readZipDirectory(zip);
    if (!entry) throw new Error('entry missing');
    expect(() => readZipEntry(zip, entry, 1000)).toThrow(/too large/);
  });
});

describe('policy documents are recognised by content', () => {
  it('accepts a PDF and a DOCX', () => {
    expect(inspectPolicyFile(buildPdf(), 'aup.pdf')).toBe('pdf');
    expect(inspectPolicyFile(buildDocx(), 'aup.docx')).toBe('docx');
    expect(inspectPolicyFile(buildPdf(), 'no-extension')).toBe('pdf');
  });

  it('refuses a "PDF" that is not one, naming the file', () => {
    expect(() => inspectPolicyFile(Buffer.from('<html>hi</html>'), 'policy.pdf')).toThrow(
      'policy.pdf is not a PDF: it does not start with %PDF-',
    );
    expect(() => inspectPolicyFile(Buffer.from('MZ\x90\x00'), 'run.exe')).toThrow(
      'run.exe is neither a PDF nor a Word (.docx) document',
    );
    expect(() => inspectPolicyFile(Buffer.alloc(0), 'empty.pdf')).toThrow('empty.pdf is empty');
    expect(() => inspectPolicyFile(buildPdf(), 'renamed.docx')).toThrow(/renamed.docx/);
  });

  it('refuses a DOCX that is not a Word document', () => {
    expect(() => inspectPolicyFile(buildZip([{ name: 'x.txt', content: 'x' }]), 'a.docx')).toThrow(
      /a.docx is not a Word document: it has no \[Content_Types\]\.xml/,
    );
    const sheet = buildDocx({
      main: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    });
    expect(() => inspectPolicyFile(sheet, 'b.docx')).toThrow(/declares no wordprocessingml/);
    const missing = buildZip([{ name: '[Content_Types].xml', content: contentTypesXml() }]);
    expect(() => inspectPolicyFile(missing, 'c.docx')).toThrow(/word\/document\.xml is missing/);
    expect(() => inspectPolicyFile(Buffer.from('PK\x03\x04broken'), 'd.docx')).toThrow(
      /d.docx is not a valid Word document/,
    );
  });

  it('refuses macros: a vbaProject.bin part, macro-enabled content types, a .docm name', () => {
    expect(() => inspectPolicyFile(buildDocx({ macros: 'vba' }), 'm.docx')).toThrow(
      /m.docx contains macros \(it holds word\/vbaProject.bin\)/,
    );
    expect(() => inspectPolicyFile(buildDocx({ macros: 'content_type' }), 'n.docx')).toThrow(
      /n.docx contains macros \(its content types are macro-enabled\)/,
    );
    expect(() => inspectPolicyFile(buildDocx(), 'o.docm')).toThrow(/o.docm contains macros/);
  });
});
