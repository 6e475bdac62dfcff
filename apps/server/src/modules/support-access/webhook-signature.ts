import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature of a support access webhook. */
export const signatureHeader = 'steward-signature';

/** How old a signed timestamp a receiver should accept, in seconds. */
export const signatureToleranceSeconds = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the system's secret. */
export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const t = String(Math.trunc(timestampSeconds));
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Verify a signature header as a receiver does: the HMAC must match and the timestamp be within
 * the tolerance of `nowSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = signatureToleranceSeconds,
): boolean {
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  if (!/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = createHmac('sha256', secret)
    .update(`${String(t)}.${body}`)
    .digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
