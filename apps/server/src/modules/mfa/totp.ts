import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { hashSecret } from '../../platform/crypto/tokens.ts';

/** TOTP time step in seconds (RFC 6238 default; what every authenticator app expects). */
export const totpPeriod = 30;

function totpOf(secretBase32: string, label = 'Steward'): TOTP {
  return new TOTP({
    issuer: 'Steward',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: totpPeriod,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit TOTP secret in base32 (RFC 4226 recommends 160 bits). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secretBase32: string, accountLabel: string): string {
  return totpOf(secretBase32, accountLabel).toString();
}

/** A QR code of the URI as an SVG data URL (allowed by the CSP's `img-src data:`). */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The code for a moment (tests and tools). */
export function totpCodeAt(secretBase32: string, timestampMs: number): string {
  return totpOf(secretBase32).generate({ timestamp: timestampMs });
}

/**
 * The time step a code belongs to, accepting one step either side of now; null when it matches
 * none. Callers store the step so a code (or an earlier one) cannot be used again.
 */
export function matchTotpStep(
  secretBase32: string,
  code: string,
  nowMs = Date.now(),
): number | null {
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / totpPeriod) + delta;
}

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A recovery code: 16 base32 characters (80 bits), shown in groups of four. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (const byte of bytes) code += base32.charAt(byte % 32);
  return code.match(/.{4}/g)?.join('-') ?? code;
}

/** The stored form of a recovery code: SHA-256 of its normalised text (high entropy, no salt needed). */
export function hashRecoveryCode(code: string): Buffer {
  return hashSecret(code.replace(/[\s-]+/g, '').toLowerCase());
}
