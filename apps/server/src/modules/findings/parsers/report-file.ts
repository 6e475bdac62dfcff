import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ReportError } from './types.ts';

/** Largest report the whole-file readers (`readJsonFile`) accept; streamed formats have no limit. */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

/** What a zero-byte report means for a format: an error, or a report in which nothing was found. */
export type EmptyFilePolicy = 'error' | 'nothing';

interface TextEncoding {
  name: 'utf8' | 'utf16le';
  /** Bytes of byte-order mark to skip. */
  skip: number;
}

/** Size of a report file in bytes. */
export async function reportSize(filePath: string): Promise<number> {
  return (await stat(filePath)).size;
}

/** Throws the error every format uses for a zero-byte report. */
export function refuseEmptyFile(): never {
  throw new ReportError('the file is empty');
}

/**
 * Reads a report as text chunks of about `chunkBytes` bytes: UTF-8 unless a byte-order mark says
 * UTF-16LE (PowerShell's `>` writes that), the mark itself dropped.
 */
export async function* readTextChunks(
  filePath: string,
  chunkBytes = 64 * 1024,
): AsyncGenerator<string, void, undefined> {
  const encoding = await detectEncoding(filePath);
  const stream = createReadStream(filePath, {
    encoding: encoding.name,
    highWaterMark: chunkBytes,
    start: encoding.skip,
  });
  for await (const chunk of stream) {
    yield chunk as string;
  }
}

/** Reads a whole report as text after checking it fits `MAX_WHOLE_FILE_BYTES`. */
export async function readWholeText(filePath: string): Promise<string> {
  const size = await reportSize(filePath);
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new ReportError(
      `the file is too large for this format (${size} bytes, at most ${MAX_WHOLE_FILE_BYTES})`,
    );
  }
  let text = '';
  for await (const chunk of readTextChunks(filePath, 1024 * 1024)) text += chunk;
  return text;
}

async function detectEncoding(filePath: string): Promise<TextEncoding> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    if (bytesRead >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      return { name: 'utf8', skip: 3 };
    }
    if (bytesRead >= 2 && head[0] === 0xff && head[1] === 0xfe) return { name: 'utf16le', skip: 2 };
    if (bytesRead >= 2 && head[0] === 0xfe && head[1] === 0xff) {
      throw new ReportError('the file is UTF-16 big-endian; save it as UTF-8');
    }
    return { name: 'utf8', skip: 0 };
  } finally {
    await handle.close();
  }
}
