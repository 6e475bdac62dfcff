import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where stored content lives. */
export type BlobStorageKind = 'local' | 's3';

/** Content-addressed storage: bytes are named by their SHA-256 and stored once. */
export interface BlobStore {
  readonly kind: BlobStorageKind;
  /**
   * Store the file at `sourcePath` under its SHA-256 after checking that its content has that
   * hash and size; `exists` when the content is already stored. The source file is left as is.
   */
  put(
    sha256: string,
    sourcePath: string,
    size: number,
    mediaType: string,
  ): Promise<'stored' | 'exists'>;
  /** Read stored content; rejects with BlobMissingError when there is none. */
  open(sha256: string): Promise<Readable>;
  /** Remove stored content (nothing happens when it is absent). */
  remove(sha256: string): Promise<void>;
  /** Whether content is stored. */
  has(sha256: string): Promise<boolean>;
}

/** Raised when content asked for is not stored. */
export class BlobMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`no stored content with SHA-256 ${sha256}`);
  }
}

/** Raised when a file does not have the hash or size it was stored under. */
export class BlobIntegrityError extends Error {
  constructor(expected: string, actual: string) {
    super(`content hash mismatch: expected ${expected}, got ${actual}`);
  }
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Refuse anything but a lower-case hex SHA-256, so a name can never leave the store's folder. */
export function assertSha256(sha256: string): void {
  if (!sha256Pattern.test(sha256)) throw new Error('a blob is named by a lower-case hex SHA-256');
}

/** The path of content under a store root: `aa/bb/<sha256>`, so no folder grows too large. */
export function blobKey(sha256: string): string {
  assertSha256(sha256);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      hash.update(chunk);
    }
  });
  return { sha256: hash.digest('hex'), size };
}

/** Check that a file has the hash and size it is about to be stored under. */
export async function verifyFile(path: string, sha256: string, size: number): Promise<void> {
  const actual = await hashFile(path);
  if (actual.sha256 !== sha256 || actual.size !== size) {
    throw new BlobIntegrityError(
      `${sha256} (${String(size)} bytes)`,
      `${actual.sha256} (${String(actual.size)} bytes)`,
    );
  }
}
