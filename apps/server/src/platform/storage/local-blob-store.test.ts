import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobIntegrityError, BlobMissingError } from './blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-blob-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function source(content: string): Promise<{ path: string; sha256: string; size: number }> {
  const path = join(dir, `src-${createHash('md5').update(content).digest('hex')}`);
  await writeFile(path, content);
  return {
    path,
    sha256: createHash('sha256').update(content).digest('hex'),
    size: Buffer.byteLength(content),
  };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('local blob store', () => {
  it('stores content once under aa/bb/sha256 with private modes, and reads it back', async () => {
    const store = createLocalBlobStore(join(dir, 'evidence'));
    const file = await source('the access review of March');
    expect(await store.has(file.sha256)).toBe(false);
    expect(await store.put(file.sha256, file.path, file.size, 'text/plain')).toBe('stored');
    expect(await store.put(file.sha256, file.path, file.size, 'text/plain')).toBe('exists');
    const target = join(
      dir,
      'evidence',
      file.sha256.slice(0, 2),
      file.sha256.slice(2, 4),
      file.sha256,
    );
    expect(await readFile(target, 'utf8')).toBe('the access review of March');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'evidence', file.sha256.slice(0, 2)))).mode & 0o777).toBe(0o700);
    expect(await filesUnder(join(dir, 'evidence'))).toEqual([target]);
    expect(await text(await store.open(file.sha256))).toBe('the access review of March');
    expect(await store.has(file.sha256)).toBe(true);
    await store.remove(file.sha256);
    expect(await store.has(file.sha256)).toBe(false);
    await expect(store.open(file.sha256)).rejects.toBeInstanceOf(BlobMissingError);
    await store.remove(file.sha256);
  });

  it('refuses content whose hash or size differs, leaving no file behind', async () => {
    const store = createLocalBlobStore(join(dir, 'evidence'));
    const file = await source('genuine');
    const other = await source('tampered');
    await expect(
      store.put(file.sha256, other.path, other.size, 'text/plain'),
    ).rejects.toBeInstanceOf(BlobIntegrityError);
    await expect(
      store.put(file.sha256, file.path, file.size + 1, 'text/plain'),
    ).rejects.toBeInstanceOf(BlobIntegrityError);
    expect(await filesUnder(join(dir, 'evidence'))).toEqual([]);
    expect(await store.has(file.sha256)).toBe(false);
  });

  it('refuses names that are not a SHA-256 (no path can escape the store)', async () => {
    const store = createLocalBlobStore(join(dir, 'evidence'));
    await expect(store.has('../../etc/passwd')).rejects.toThrow(/SHA-256/);
    await expect(store.open('A'.repeat(64))).rejects.toThrow(/SHA-256/);
  });
});
