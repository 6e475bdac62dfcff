import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobIntegrityError, BlobMissingError, blobKey, type BlobStore } from './blob-store.ts';

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Content-addressed files under `root` (`<root>/<aa>/<bb>/<sha256>`, folders 0700, files 0600).
 * A put copies into a temporary file beside the target while hashing, fsyncs it, checks the hash
 * and renames it into place, so a stored name always holds complete, verified content.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => join(root, blobKey(sha256));
  return {
    kind: 'local',
    async put(sha256, sourcePath, size) {
      const target = pathOf(sha256);
      // A name whose size is wrong can only be damage; it is rewritten from the verified source.
      if ((await sizeOf(target)) === size) return 'exists';
      const folder = dirname(target);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const temp = join(folder, `.${sha256}.${randomUUID()}.tmp`);
      try {
        const hash = createHash('sha256');
        let written = 0;
        await pipeline(
          createReadStream(sourcePath),
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              written += chunk.length;
              hash.update(chunk);
              callback(null, chunk);
            },
          }),
          createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
        );
        await syncPath(temp);
        const actual = hash.digest('hex');
        if (actual !== sha256 || written !== size) {
          throw new BlobIntegrityError(
            `${sha256} (${String(size)} bytes)`,
            `${actual} (${String(written)} bytes)`,
          );
        }
        await rename(temp, target);
        await syncPath(folder);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return 'stored';
    },
    async open(sha256) {
      const path = pathOf(sha256);
      try {
        const handle = await open(path, 'r');
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobMissingError(sha256);
        throw error;
      }
    },
    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
    async has(sha256) {
      return (await sizeOf(pathOf(sha256))) !== null;
    },
  };
}
