import { readZipDirectory, readZipEntry, ZipFormatError, type ZipEntry } from './zip-directory.ts';

/** Formats a policy document may be uploaded in. */
export type PolicyFileFormat = 'pdf' | 'docx';

/** The media type stored and served for each format (never the one the client claimed). */
export const policyFileMediaTypes: Record<PolicyFileFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Why an uploaded policy document is refused; the message names the file. */
export class PolicyFileError extends Error {}

const wordMainType =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

/** Largest [Content_Types].xml we read (real ones are a few kilobytes). */
const maxContentTypesBytes = 1_000_000;

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
}

function macroRefusal(fileName: string, what: string): PolicyFileError {
  return new PolicyFileError(
    `${fileName} contains macros (${what}); macro-enabled documents are refused. Save it as a plain .docx or as PDF and upload it again`,
  );
}

function readContentTypes(bytes: Buffer, fileName: string, entries: ZipEntry[]): string {
  const entry = entries.find((e) => e.name === '[Content_Types].xml');
  if (!entry) {
    throw new PolicyFileError(`${fileName} is not a Word document: it has no [Content_Types].xml`);
  }
  return readZipEntry(bytes, entry, maxContentTypesBytes).toString('utf8');
}

/** The Override elements of [Content_Types].xml as part name → content type. */
function parseOverrides(xml: string): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const element of xml.matchAll(/<(?:\w+:)?Override\b([^>]*)>/g)) {
    const attributes = element[1] ?? '';
    const part = /\bPartName\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1];
    const type = /\bContentType\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1];
    if (part !== undefined && type !== undefined) overrides.set(part, type.trim().toLowerCase());
  }
  return overrides;
}

function inspectDocx(bytes: Buffer, fileName: string): void {
  let entries: ZipEntry[];
  let contentTypes: string;
  try {
    entries = readZipDirectory(bytes);
    contentTypes = readContentTypes(bytes, fileName, entries);
  } catch (error) {
    if (error instanceof ZipFormatError) {
      throw new PolicyFileError(`${fileName} is not a valid Word document (${error.message})`);
    }
    throw error;
  }
  const vba = entries.find((e) => /(^|\/)vba(project\.bin|data\.xml)$/i.test(e.name));
  if (vba) throw macroRefusal(fileName, `it holds ${vba.name}`);
  if (/macroenabled/i.test(contentTypes)) {
    throw macroRefusal(fileName, 'its content types are macro-enabled');
  }
  if (/vbaproject/i.test(contentTypes)) {
    throw macroRefusal(fileName, 'it declares a VBA project');
  }
  const overrides = parseOverrides(contentTypes);
  const main = [...overrides].find(([, type]) => type === wordMainType);
  if (!main) {
    throw new PolicyFileError(
      `${fileName} is not a Word document: [Content_Types].xml declares no wordprocessingml main document`,
    );
  }
  const partName = main[0].replace(/^\//, '');
  if (!entries.some((e) => e.name === partName)) {
    throw new PolicyFileError(`${fileName} is damaged: its main document ${partName} is missing`);
  }
}

/**
 * Decide what an uploaded policy document is from its bytes, not its name: a PDF starts with
 * `%PDF-`; a DOCX is a ZIP whose [Content_Types].xml declares the wordprocessingml main
 * document. Macro-enabled documents (.docm, a vbaProject.bin part, macroEnabled content types)
 * are refused, as is a name that claims one format for the bytes of another.
 */
export function inspectPolicyFile(bytes: Buffer, fileName: string): PolicyFileFormat {
  const extension = extensionOf(fileName);
  if (['docm', 'dotm'].includes(extension)) {
    throw macroRefusal(fileName, `.${extension} is a macro-enabled format`);
  }
  if (bytes.length === 0) throw new PolicyFileError(`${fileName} is empty`);
  if (extension === 'pdf' && !isPdf(bytes)) {
    throw new PolicyFileError(`${fileName} is not a PDF: it does not start with %PDF-`);
  }
  if (extension === 'docx' && !isZip(bytes)) {
    throw new PolicyFileError(`${fileName} is not a Word document: it is not a ZIP package`);
  }
  if (isPdf(bytes)) {
    if (extension !== 'pdf' && extension !== '') {
      throw new PolicyFileError(`${fileName} is a PDF; name it .pdf`);
    }
    return 'pdf';
  }
  if (isZip(bytes)) {
    inspectDocx(bytes, fileName);
    if (extension !== 'docx' && extension !== '') {
      throw new PolicyFileError(`${fileName} is a Word document; name it .docx`);
    }
    return 'docx';
  }
  throw new PolicyFileError(`${fileName} is neither a PDF nor a Word (.docx) document`);
}
