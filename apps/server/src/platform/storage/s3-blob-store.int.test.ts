// Evidence in an S3-compatible bucket, against a real S3-compatible server listening on a local
// port (s3rver checks SigV4 signatures and clock skew the way S3 does): our own signing, the
// content-addressed layout, deduplication, downloads and errors, first through the store and then
// through the evidence API of a whole Steward configured for the bucket.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import S3rver from '@20minutes/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { BlobIntegrityError, BlobMissingError, blobKey } from './blob-store.ts';
import { createS3BlobStore, S3RequestError, type S3Settings } from './s3-blob-store.ts';

const bucket = 'steward-evidence';
// s3rver's built-in account.
const accessKeyId = 'S3RVER';
const secretAccessKey = 'S3RVER';

let server: S3rver;
let serverDir: string;
let workDir: string;
let endpoint: URL;

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function settings(overrides: Partial<S3Settings> = {}): S3Settings {
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
    ...overrides,
  };
}

async function writeTemp(content: Buffer): Promise<string> {
  const path = join(workDir, randomBytes(8).toString('hex'));
  await writeFile(path, content);
  return path;
}

/** Object keys the server holds in the bucket (its own folder layout, read without signing). */
async function storedKeys(): Promise<string[]> {
  const dir = join(serverDir, bucket);
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((entry) => entry.endsWith('._S3rver_object'))
    .map((entry) => entry.replace(/\._S3rver_object$/, ''));
}

beforeAll(async () => {
  serverDir = await mkdtemp(join(tmpdir(), 'steward-s3-server-'));
  workDir = await mkdtemp(join(tmpdir(), 'steward-s3-work-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: serverDir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  endpoint = new URL(`http://127.0.0.1:${String(address.port)}`);
});

afterAll(async () => {
  await server.close();
  await rm(serverDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

describe('the S3 blob store against an S3-compatible server', () => {
  it('stores content under its hash once, reads it back and removes it', async () => {
    const store = createS3BlobStore(settings());
    const content = randomBytes(300_000);
    const hash = sha256(content);
    const path = await writeTemp(content);

    expect(await store.has(hash)).toBe(false);
    expect(await store.put(hash, path, content.length, 'application/pdf')).toBe('stored');
    expect(await store.has(hash)).toBe(true);
    expect(await store.put(hash, path, content.length, 'application/pdf')).toBe('exists');
    expect(await storedKeys()).toContain(`evidence/${blobKey(hash)}`);

    const read = await buffer(await store.open(hash));
    expect(read.equals(content)).toBe(true);

    await store.remove(hash);
    expect(await store.has(hash)).toBe(false);
    await expect(store.open(hash)).rejects.toBeInstanceOf(BlobMissingError);
    // Removing what is absent is not an error.
    await store.remove(hash);
  });

  it('stores an empty file', async () => {
    const store = createS3BlobStore(settings());
    const content = Buffer.alloc(0);
    const hash = sha256(content);
    expect(await store.put(hash, await writeTemp(content), 0, 'text/plain')).toBe('stored');
    expect((await buffer(await store.open(hash))).length).toBe(0);
  });

  it('refuses a file whose content is not the hash it is stored under, before sending it', async () => {
    const store = createS3BlobStore(settings());
    const content = randomBytes(1000);
    const wrongHash = sha256(Buffer.from('something else'));
    await expect(
      store.put(wrongHash, await writeTemp(content), content.length, 'text/plain'),
    ).rejects.toBeInstanceOf(BlobIntegrityError);
    expect(await store.has(wrongHash)).toBe(false);
  });

  it('is refused by the server with a wrong secret key, naming the S3 error', async () => {
    const store = createS3BlobStore(settings({ secretAccessKey: 'not-the-secret' }));
    const content = randomBytes(100);
    const hash = sha256(content);
    const error: unknown = await store
      .put(hash, await writeTemp(content), content.length, 'text/plain')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3RequestError);
    expect((error as S3RequestError).status).toBe(403);
  });

  it('names the bucket error when the bucket does not exist', async () => {
    const store = createS3BlobStore(settings({ bucket: 'no-such-bucket' }));
    const content = randomBytes(100);
    const error: unknown = await store
      .put(sha256(content), await writeTemp(content), content.length, 'text/plain')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3RequestError);
    expect((error as S3RequestError).status).toBe(404);
  });
});

describe('evidence uploads stored in the bucket', () => {
  let t: TestApp;
  let contributor: SeededUser;

  beforeAll(async () => {
    t = await createTestApp({
      STEWARD_EVIDENCE_S3_ENDPOINT: endpoint.toString(),
      STEWARD_EVIDENCE_S3_BUCKET: bucket,
      STEWARD_EVIDENCE_S3_REGION: 'us-east-1',
      STEWARD_EVIDENCE_S3_ACCESS_KEY_ID: accessKeyId,
      STEWARD_EVIDENCE_S3_SECRET_ACCESS_KEY: secretAccessKey,
      STEWARD_EVIDENCE_S3_FORCE_PATH_STYLE: 'true',
    });
    const orgId = await seedOrg(t, 'Bucket Org');
    contributor = await seedUser(t, orgId, 'contributor');
  });

  afterAll(async () => {
    await t.close();
  });

  function upload(content: Buffer, title: string) {
    const boundary = `----steward${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="restore.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.http.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: {
        ...bearer(contributor),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload,
    });
  }

  it('puts the file in the bucket once, not on local disk, and downloads identical bytes', async () => {
    const content = randomBytes(250_000);
    const hash = sha256(content);
    const first = await upload(content, 'Restore test, April');
    expect(first.statusCode, first.body).toBe(201);
    const second = await upload(content, 'The same file again');
    expect(second.statusCode, second.body).toBe(201);

    const files = await t.pools.owner
      .selectFrom('evidence_files')
      .select(['storage', 'size_bytes'])
      .where('sha256', '=', hash)
      .execute();
    expect(files).toEqual([{ storage: 's3', size_bytes: String(content.length) }]);
    expect((await storedKeys()).filter((key) => key.endsWith(hash))).toEqual([
      `evidence/${blobKey(hash)}`,
    ]);
    expect(existsSync(join(t.dataDir, 'evidence', blobKey(hash)))).toBe(false);

    const { id } = first.json<{ id: string }>();
    const download = await t.http.inject({
      method: 'GET',
      url: `/api/v1/evidence/${id}/content`,
      headers: bearer(contributor),
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers.etag).toBe(`"${hash}"`);
  });
});
