import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SecretOpenError,
  createKeyring,
  createMemoryKeySource,
  createSecretBox,
  generateDataKey,
  parseMasterKey,
  unwrapDataKey,
  wrapDataKey,
} from './envelope.ts';

const dataKey = generateDataKey();
const box = createSecretBox(createMemoryKeySource(dataKey));

// Flip a bit of the decoded body: changing the last base64 character can touch only padding bits.
function tamperLastByte(text: string): string {
  const parts = text.split('.');
  const bytes = Buffer.from(parts.at(-1) ?? '', 'base64url');
  bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
  return [...parts.slice(0, -1), bytes.toString('base64url')].join('.');
}

describe('secret box', () => {
  it('seals to a versioned value naming its data key, and opens it for the same purpose', async () => {
    const sealed = await box.sealSecret('totp:user-1', 'JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith(`stw-enc-v1.${dataKey.id}.`)).toBe(true);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await box.openSecret('totp:user-1', sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(await box.sealSecret('totp:user-1', 'JBSWY3DPEHPK3PXP')).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext, IV or key id', async () => {
    const sealed = await box.sealSecret('totp:user-1', 'secret');
    const [prefix, keyId, iv, body] = sealed.split('.') as [string, string, string, string];
    await expect(box.openSecret('totp:user-1', tamperLastByte(sealed))).rejects.toThrow(
      SecretOpenError,
    );
    const otherIv = randomBytes(12).toString('base64url');
    await expect(
      box.openSecret('totp:user-1', [prefix, keyId, otherIv, body].join('.')),
    ).rejects.toThrow(SecretOpenError);
    await expect(
      box.openSecret('totp:user-1', [prefix, 'unknownkey000000', iv, body].join('.')),
    ).rejects.toThrow(/unknown data key/);
    await expect(box.openSecret('totp:user-1', 'stw-enc-v9.x.y.z')).rejects.toThrow(
      SecretOpenError,
    );
  });

  it('refuses a value sealed for another purpose (another user or another use)', async () => {
    const sealed = await box.sealSecret('totp:user-1', 'secret');
    await expect(box.openSecret('totp:user-2', sealed)).rejects.toThrow(SecretOpenError);
    await expect(box.openSecret('oidc:user-1', sealed)).rejects.toThrow(SecretOpenError);
  });

  it('refuses a value sealed under another data key with the same id', async () => {
    const impostor = createSecretBox(
      createMemoryKeySource({ id: dataKey.id, key: randomBytes(32) }),
    );
    const sealed = await impostor.sealSecret('totp:user-1', 'secret');
    await expect(box.openSecret('totp:user-1', sealed)).rejects.toThrow(SecretOpenError);
  });
});

describe('data key wrapping', () => {
  const oldMaster = randomBytes(32);
  const newMaster = randomBytes(32);

  it('unwraps with whichever key of the ring wrapped it, and names a missing one', () => {
    const wrapped = wrapDataKey(createKeyring(oldMaster).primary, dataKey);
    const ring = createKeyring(newMaster, [oldMaster]);
    expect(unwrapDataKey(ring, dataKey.id, wrapped).key.equals(dataKey.key)).toBe(true);
    expect(() => unwrapDataKey(createKeyring(newMaster), dataKey.id, wrapped)).toThrow(
      /STEWARD_MASTER_KEY/,
    );
  });

  it('binds the wrapped key to its id', () => {
    const ring = createKeyring(oldMaster);
    const wrapped = wrapDataKey(ring.primary, dataKey);
    expect(() => unwrapDataKey(ring, 'anotherid0000000', wrapped)).toThrow(SecretOpenError);
    expect(() => unwrapDataKey(ring, dataKey.id, tamperLastByte(wrapped))).toThrow(SecretOpenError);
  });

  it('accepts only 32-byte base64 master keys', () => {
    expect(parseMasterKey(randomBytes(32).toString('base64'))?.length).toBe(32);
    expect(parseMasterKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(parseMasterKey('not base64 at all!')).toBeNull();
  });
});
