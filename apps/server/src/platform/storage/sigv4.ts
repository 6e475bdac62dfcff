import { createHash, createHmac } from 'node:crypto';

/** SHA-256 of an empty payload, hex. */
export const emptyPayloadHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** An access key pair. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request to sign. `headers` are sent as given; `host` and `x-amz-date` are added. */
export interface SigV4Request {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

/** Where and when a request is signed. */
export interface SigV4Scope {
  region: string;
  service: string;
  credentials: SigV4Credentials;
  now: Date;
}

/** A signed request: the headers to send and the intermediate values (for diagnosis). */
export interface SignedRequest {
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** RFC 3986 percent-encoding as SigV4 wants it: everything but unreserved characters. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `YYYYMMDDTHHMMSSZ` of a time. */
export function formatAmzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function canonicalUri(url: URL, service: string): string {
  // S3 encodes each path segment once; every other service encodes the encoded path again.
  const segments = url.pathname.split('/').map((segment) => {
    const once = encodeRfc3986(decodeURIComponent(segment));
    return service === 's3' ? once : encodeRfc3986(once);
  });
  const path = segments.join('/');
  return path === '' ? '/' : path;
}

function canonicalQuery(url: URL): string {
  const raw = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  if (raw === '') return '';
  // Parsed by hand: URLSearchParams would turn `+` into a space, which SigV4 does not.
  const pairs = raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      const key = at === -1 ? part : part.slice(0, at);
      const value = at === -1 ? '' : part.slice(at + 1);
      return [
        encodeRfc3986(decodeURIComponent(key)),
        encodeRfc3986(decodeURIComponent(value)),
      ] as const;
    });
  pairs.sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The signing key of a day, region and service. */
export function deriveSigningKey(
  secretAccessKey: string,
  day: string,
  region: string,
  service: string,
): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, day);
  const regionKey = hmac(dateKey, region);
  const serviceKey = hmac(regionKey, service);
  return hmac(serviceKey, 'aws4_request');
}

/**
 * Sign a request with AWS Signature Version 4 (header-based): canonical request, string to sign,
 * signing key, and the `Authorization` header. Every given header is signed.
 */
export function signRequest(request: SigV4Request, scope: SigV4Scope): SignedRequest {
  const amzDate = formatAmzDate(scope.now);
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  headers.host = request.url.host;
  headers['x-amz-date'] = amzDate;
  const names = Object.keys(headers).sort(compare);
  const canonicalHeaders = names
    .map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url, scope.service),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signature = createHmac(
    'sha256',
    deriveSigningKey(scope.credentials.secretAccessKey, day, scope.region, scope.service),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}
