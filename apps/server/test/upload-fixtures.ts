import { multipartBody } from './findings-factories.ts';

/**
 * A multipart/form-data body uploading `content` as the CSV file `fileName` (field `file`), with
 * a `preview` field first when one is given; the payload and the content-type header to send.
 */
export function csvUpload(fileName: string, content: string | Buffer, preview?: boolean) {
  const fields: Record<string, string> = preview === undefined ? {} : { preview: String(preview) };
  return multipartBody(fields, { name: fileName, content, type: 'text/csv' });
}
