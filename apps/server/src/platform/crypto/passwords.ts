import { hash, verify } from '@node-rs/argon2';

// argon2id; the package's const enum cannot be imported under isolated modules.
const argon2id = 2;

// Tuned so one hash takes roughly 50–150 ms on two cores; hashing runs on libuv's thread pool.
const options = { algorithm: argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 };

let dummyHash: Promise<string> | undefined;

/** Hash a password as an argon2id PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/**
 * Verify a password against a stored hash. With no stored hash (unknown user) it verifies against
 * a dummy so both paths take similar time.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword('steward-timing-equaliser');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
