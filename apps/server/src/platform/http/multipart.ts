import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/** A file received in a multipart request, already on disk in a temporary place. */
export interface ReceivedFile {
  field: string;
  fileName: string;
  mediaType: string;
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** The text fields (validated) and files of a multipart request. */
export interface MultipartBody<T> {
  fields: T;
  files: ReceivedFile[];
  /** Remove the temporary files; call it in a `finally`. */
  cleanUp: () => Promise<void>;
}

/** Limits of one multipart request. */
export interface MultipartLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** The error code answered when a file is over the limit. */
  tooLargeCode?: 'request.too_large' | 'evidence.too_large' | 'scan.too_large';
  /** Where temporary files go (inside the data directory, never the system temp of another user). */
  tempDir: string;
}

/**
 * Read a multipart request: text fields are collected (repeated fields become arrays) and
 * validated by `schema`; each file is streamed to a temporary file while its SHA-256 is
 * computed, so memory does not grow with the file. A file over the limit or a request that ends
 * early is refused and leaves nothing behind.
 */
export async function readMultipart<S extends z.ZodType>(
  request: FastifyRequest,
  schema: S,
  fileFields: readonly string[],
  limits: MultipartLimits,
): Promise<MultipartBody<z.output<S>>> {
  if (!request.isMultipart()) {
    throw new AppError('request.unsupported_media_type', 'Send multipart/form-data');
  }
  await mkdir(limits.tempDir, { recursive: true, mode: 0o700 });
  const files: ReceivedFile[] = [];
  const raw: Record<string, string | string[]> = {};
  const cleanUp = async () => {
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
  };
  try {
    const parts = request.parts({
      limits: { fileSize: limits.maxFileBytes, fields: 100, fieldSize: 1_000_000, files: 4 },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        const existing = raw[part.fieldname];
        raw[part.fieldname] =
          existing === undefined
            ? value
            : Array.isArray(existing)
              ? [...existing, value]
              : [existing, value];
        continue;
      }
      if (!fileFields.includes(part.fieldname)) {
        part.file.resume();
        throw new AppError('request.invalid', `Unexpected file field "${part.fieldname}"`, [
          { path: part.fieldname, message: `Expected one of: ${fileFields.join(', ')}` },
        ]);
      }
      const path = join(limits.tempDir, `upload-${randomUUID()}`);
      const hash = createHash('sha256');
      let size = 0;
      const received: ReceivedFile = {
        field: part.fieldname,
        fileName: part.filename,
        mediaType: part.mimetype || 'application/octet-stream',
        path,
        sizeBytes: 0,
        sha256: '',
      };
      files.push(received);
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      await pipeline(part.file, measure, createWriteStream(path, { mode: 0o600 }));
      if (part.file.truncated) {
        throw new AppError(
          limits.tooLargeCode ?? 'request.too_large',
          `${part.filename || part.fieldname} is larger than ${formatBytes(limits.maxFileBytes)}`,
        );
      }
      received.sizeBytes = size;
      received.sha256 = hash.digest('hex');
    }
  } catch (error) {
    await cleanUp();
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        limits.tooLargeCode ?? 'request.too_large',
        `The file is larger than ${formatBytes(limits.maxFileBytes)}`,
      );
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError('request.invalid', (error as Error).message);
    }
    throw new AppError(
      'evidence.incomplete',
      `The upload ended before the whole request arrived (${(error as Error).message})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    await cleanUp();
    throw new AppError(
      'request.invalid',
      'Some fields are not valid',
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    );
  }
  return { fields: parsed.data, files, cleanUp };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${String(Math.round(bytes / 1024 / 1024))} MB`;
  if (bytes >= 1024) return `${String(Math.round(bytes / 1024))} KB`;
  return `${String(bytes)} bytes`;
}
