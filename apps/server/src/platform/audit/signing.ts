import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Signs and verifies audit checkpoints with Ed25519. */
export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  sign(message: string): string;
}

/** What a checkpoint signature covers. */
export function checkpointMessage(c: {
  orgId: string;
  seq: number;
  eventHash: string;
  signedAt: Date;
}): string {
  return `steward.audit.checkpoint.v1\n${c.orgId}\n${c.seq}\n${c.eventHash}\n${c.signedAt.toISOString()}`;
}

/** Identifier of a public key: the first 16 hex digits of SHA-256 over its SPKI encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Verify a checkpoint signature with a public key. */
export function verifyCheckpointSignature(
  publicKey: KeyObject,
  message: string,
  signature: string,
): boolean {
  try {
    return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Path of the signing key inside the data directory. */
export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'audit-signing-key.pem');
}

/** Load the Ed25519 signing key from the data directory, creating it (mode 0600) on first use. */
export async function loadOrCreateSigner(dataDir: string): Promise<CheckpointSigner> {
  const file = signingKeyPath(dataDir);
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    });
  }
  const privateKey = createPrivateKey(await readFile(file, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
  };
}

/** Load a public key for verification from a PEM file (public or private). */
export async function loadPublicKey(file: string): Promise<KeyObject> {
  return createPublicKey(await readFile(file, 'utf8'));
}
