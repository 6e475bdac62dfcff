import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BlobMissingError, blobKey, verifyFile, type BlobStore } from './blob-store.ts';
import { emptyPayloadHash, signRequest } from './sigv4.ts';

/** Where an S3-compatible bucket is and how to reach it. */
export interface S3Settings {
  endpoint: URL;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`. */
  forcePathStyle: boolean;
}

/** Raised when the bucket answers a request with an unexpected status. */
export class S3RequestError extends Error {
  constructor(
    readonly method: string,
    readonly key: string,
    readonly status: number,
    readonly s3Code: string | null,
  ) {
    super(`S3 ${method} ${key} failed with ${String(status)}${s3Code ? ` (${s3Code})` : ''}`);
  }
}

async function readErrorCode(response: Response): Promise<string | null> {
  const text = await response.text().catch(() => '');
  return /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? null;
}

/**
 * Content-addressed objects in an S3-compatible bucket (`evidence/<aa>/<bb>/<sha256>`), signed
 * with SigV4. The file's hash is verified locally before upload and sent as the signed payload
 * hash, so the bucket refuses bytes that changed on the way.
 */
export function createS3BlobStore(
  settings: S3Settings,
  fetchImpl: typeof fetch = fetch,
): BlobStore {
  const urlOf = (sha256: string) => {
    const key = `evidence/${blobKey(sha256)}`;
    const base = new URL(settings.endpoint);
    if (settings.forcePathStyle) {
      const prefix = base.pathname.replace(/\/$/, '');
      base.pathname = `${prefix}/${settings.bucket}/${key}`;
    } else {
      base.hostname = `${settings.bucket}.${base.hostname}`;
      base.pathname = `/${key}`;
    }
    return { url: base, key };
  };

  async function send(
    method: string,
    sha256: string,
    options: { headers?: Record<string, string>; payloadHash?: string; body?: Readable } = {},
  ): Promise<{ response: Response; key: string }> {
    const { url, key } = urlOf(sha256);
    const payloadHash = options.payloadHash ?? emptyPayloadHash;
    const signed = signRequest(
      {
        method,
        url,
        headers: { ...options.headers, 'x-amz-content-sha256': payloadHash },
        payloadHash,
      },
      {
        region: settings.region,
        service: 's3',
        credentials: {
          accessKeyId: settings.accessKeyId,
          secretAccessKey: settings.secretAccessKey,
        },
        now: new Date(),
      },
    );
    // fetch sets Host itself; sending it too would be refused.
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([name]) => name !== 'host'),
    );
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (options.body) {
      init.body = Readable.toWeb(options.body);
      init.duplex = 'half';
    }
    return { response: await fetchImpl(url, init), key };
  }

  async function has(sha256: string): Promise<boolean> {
    const { response, key } = await send('HEAD', sha256);
    await response.body?.cancel();
    if (response.status === 404) return false;
    if (!response.ok) throw new S3RequestError('HEAD', key, response.status, null);
    return true;
  }

  return {
    kind: 's3',
    has,
    async put(sha256, sourcePath, size, mediaType) {
      if (await has(sha256)) return 'exists';
      await verifyFile(sourcePath, sha256, size);
      const { response, key } = await send('PUT', sha256, {
        headers: { 'content-length': String(size), 'content-type': mediaType },
        payloadHash: sha256,
        body: createReadStream(sourcePath),
      });
      if (!response.ok)
        throw new S3RequestError('PUT', key, response.status, await readErrorCode(response));
      await response.body?.cancel();
      return 'stored';
    },
    async open(sha256) {
      const { response, key } = await send('GET', sha256);
      if (response.status === 404) {
        await response.body?.cancel();
        throw new BlobMissingError(sha256);
      }
      if (!response.ok || !response.body) {
        throw new S3RequestError('GET', key, response.status, await readErrorCode(response));
      }
      return Readable.fromWeb(response.body);
    },
    async remove(sha256) {
      const { response, key } = await send('DELETE', sha256);
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) {
        throw new S3RequestError('DELETE', key, response.status, null);
      }
    },
  };
}
