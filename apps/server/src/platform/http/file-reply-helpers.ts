import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A Content-Disposition header with an ASCII fallback name (`fallbackName` when none of the
 * name is ASCII-safe) and the exact name (RFC 5987).
 */
export function formatContentDisposition(
  kind: 'inline' | 'attachment',
  fileName: string,
  fallbackName: string,
): string {
  const fallback = fileName.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 150) || fallbackName;
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** A stored file to send: its bytes, what they are, and the digest that is its ETag. */
export interface StoredFileReply {
  stream: Readable;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Send a stored file, never sniffed and revalidated on every use by its digest: a client that
 * has it gets 304 (and the stream is closed). `sandboxed` adds a CSP that keeps an uploaded file
 * shown in the browser from running as the app.
 */
export function replyWithStoredFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StoredFileReply,
  disposition: { kind: 'inline' | 'attachment'; fallbackName: string; sandboxed: boolean },
): Readable | '' {
  const etag = `"${file.sha256}"`;
  void reply
    .header('etag', etag)
    .header('cache-control', 'private, no-cache')
    .header('x-content-type-options', 'nosniff');
  if (disposition.sandboxed) {
    void reply.header('content-security-policy', "sandbox; default-src 'none'");
  }
  if (request.headers['if-none-match'] === etag) {
    file.stream.destroy();
    void reply.status(304);
    return '';
  }
  void reply
    .type(file.mediaType)
    .header('content-length', String(file.sizeBytes))
    .header(
      'content-disposition',
      formatContentDisposition(disposition.kind, file.fileName, disposition.fallbackName),
    );
  return file.stream;
}
