import { join } from 'node:path';
import type { BlobStore } from './blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';
import { createS3BlobStore, type S3Settings } from './s3-blob-store.ts';

export {
  BlobIntegrityError,
  BlobMissingError,
  hashFile,
  type BlobStorageKind,
  type BlobStore,
} from './blob-store.ts';
export { createLocalBlobStore } from './local-blob-store.ts';
export { createS3BlobStore, S3RequestError, type S3Settings } from './s3-blob-store.ts';

/** The evidence store: an S3-compatible bucket when configured, else `<dataDir>/evidence`. */
export function createEvidenceBlobStore(options: {
  dataDir: string;
  s3: S3Settings | undefined;
}): BlobStore {
  return options.s3
    ? createS3BlobStore(options.s3)
    : createLocalBlobStore(join(options.dataDir, 'evidence'));
}
