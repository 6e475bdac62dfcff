import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A 256-bit master key and its public identifier. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The master keys a process holds: one to wrap with, all of them to unwrap with. */
export interface MasterKeyring {
  primary: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

/** A plaintext data key in memory. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** Where the secret box finds data keys: the active one, and any by id (lazily loaded). */
export interface DataKeySource {
  active(): DataKey;
  find(id: string): Promise<DataKey | undefined>;
}

/** Seals and opens secrets at rest; `purpose` binds a ciphertext to its use, e.g. `totp:<userId>`. */
export interface SecretBox {
  sealSecret(purpose: string, plaintext: string): Promise<string>;
  openSecret(purpose: string, sealed: string): Promise<string>;
}

/** Raised when a sealed value cannot be opened: tampered, wrong purpose, unknown or wrong key. */
export class SecretOpenError extends Error {}

const sealedPrefix = 'stw-enc-v1';
const wrappedPrefix = 'stw-wrap-v1';
const masterKeyBytes = 32;

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; body: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, body };
}

function gcmDecrypt(key: Buffer, iv: Buffer, body: Buffer, aad: string): Buffer {
  if (iv.length !== 12 || body.length < 16) throw new SecretOpenError('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new SecretOpenError('the sealed value does not authenticate');
  }
}

/** Public identifier of a master key: 16 hex digits of a domain-separated SHA-256. */
export function masterKeyIdOf(key: Buffer): string {
  return createHash('sha256')
    .update('steward.master-key.id\n')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

/** Parse a master key from its base64 text; null unless it decodes to exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === masterKeyBytes ? key : null;
}

/** A fresh random master key as base64 text. */
export function generateMasterKeyText(): string {
  return randomBytes(masterKeyBytes).toString('base64');
}

/** Build a keyring from a primary key and any older keys still accepted for unwrapping. */
export function createKeyring(primary: Buffer, others: readonly Buffer[] = []): MasterKeyring {
  const toKey = (key: Buffer): MasterKey => ({ id: masterKeyIdOf(key), key });
  const primaryKey = toKey(primary);
  const byId = new Map<string, MasterKey>();
  for (const key of [primary, ...others]) byId.set(masterKeyIdOf(key), toKey(key));
  return { primary: primaryKey, byId };
}

/** A new random data key id (lower-case, 16 characters). */
export function newDataKeyId(): string {
  return randomBytes(10).toString('hex').slice(0, 16);
}

/** Wrap a data key under a master key (AES-256-GCM; AAD binds the data key id). */
export function wrapDataKey(master: MasterKey, dataKey: DataKey): string {
  const { iv, body } = gcmEncrypt(master.key, dataKey.key, `steward.data-key.v1\n${dataKey.id}`);
  return [wrappedPrefix, master.id, b64(iv), b64(body)].join('.');
}

/** The master key id a wrapped data key names. */
export function wrappingKeyIdOf(wrapped: string): string | null {
  const parts = wrapped.split('.');
  return parts.length === 4 && parts[0] === wrappedPrefix ? (parts[1] ?? null) : null;
}

/** Unwrap a data key with whichever master key of the ring wrapped it. */
export function unwrapDataKey(ring: MasterKeyring, id: string, wrapped: string): DataKey {
  const [prefix, masterId, iv, body, ...rest] = wrapped.split('.');
  if (prefix !== wrappedPrefix || !masterId || !iv || !body || rest.length > 0) {
    throw new SecretOpenError(`data key ${id} is not in a known wrapped format`);
  }
  const master = ring.byId.get(masterId);
  if (!master) {
    throw new SecretOpenError(
      `data key ${id} is wrapped by master key ${masterId}, which this process does not hold ` +
        '(set STEWARD_MASTER_KEY, or STEWARD_MASTER_KEY_PREVIOUS during a rotation)',
    );
  }
  const key = gcmDecrypt(
    master.key,
    Buffer.from(iv, 'base64url'),
    Buffer.from(body, 'base64url'),
    `steward.data-key.v1\n${id}`,
  );
  return { id, key };
}

function checkPurpose(purpose: string): void {
  if (purpose.length === 0 || purpose.length > 200 || /[\n.]/.test(purpose)) {
    throw new Error(`invalid secret purpose "${purpose}"`);
  }
}

function aadOf(keyId: string, purpose: string): string {
  return `steward.secret.v1\n${keyId}\n${purpose}`;
}

/**
 * The envelope scheme for every secret at rest: AES-256-GCM under a data key, which is itself
 * wrapped by the master key. Sealed values read `stw-enc-v1.<data key id>.<iv>.<ciphertext+tag>`
 * and authenticate their purpose, so a value moved to another row or use does not open.
 */
export function createSecretBox(keys: DataKeySource): SecretBox {
  return {
    async sealSecret(purpose, plaintext) {
      checkPurpose(purpose);
      await Promise.resolve();
      const dataKey = keys.active();
      const { iv, body } = gcmEncrypt(
        dataKey.key,
        Buffer.from(plaintext, 'utf8'),
        aadOf(dataKey.id, purpose),
      );
      return [sealedPrefix, dataKey.id, b64(iv), b64(body)].join('.');
    },
    async openSecret(purpose, sealed) {
      checkPurpose(purpose);
      const [prefix, keyId, iv, body, ...rest] = sealed.split('.');
      if (prefix !== sealedPrefix || !keyId || !iv || !body || rest.length > 0) {
        throw new SecretOpenError('not a sealed value of a known version');
      }
      const dataKey = await keys.find(keyId);
      if (!dataKey) throw new SecretOpenError(`unknown data key ${keyId}`);
      const plaintext = gcmDecrypt(
        dataKey.key,
        Buffer.from(iv, 'base64url'),
        Buffer.from(body, 'base64url'),
        aadOf(keyId, purpose),
      );
      return plaintext.toString('utf8');
    },
  };
}

/** A data key source held entirely in memory (tests, and the base of the database-backed one). */
export function createMemoryKeySource(active: DataKey, others: DataKey[] = []): DataKeySource {
  const byId = new Map([active, ...others].map((k) => [k.id, k]));
  return {
    active: () => active,
    find: (id) => Promise.resolve(byId.get(id)),
  };
}

/** A fresh random data key. */
export function generateDataKey(): DataKey {
  return { id: newDataKeyId(), key: randomBytes(32) };
}
