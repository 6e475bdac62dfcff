import { randomBytes } from 'node:crypto';

/**
 * A multipart/form-data body uploading `content` as the CSV file `fileName` (field `file`), with
 * a `preview` field first when one is given; the payload and the content-type header to send.
 */
export function csvUpload(fileName: string, content: string | Buffer, preview?: boolean) {
  const boundary = `----steward-test-${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (preview !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="preview"\r\n\r\n${String(preview)}\r\n`,
      ),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
