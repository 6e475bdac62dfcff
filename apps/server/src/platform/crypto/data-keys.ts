import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Actor, AuditWriter } from '../audit/audit-writer.ts';
import type { Db } from '../db/pools.ts';
import {
  createKeyring,
  createSecretBox,
  generateDataKey,
  generateMasterKeyText,
  parseMasterKey,
  unwrapDataKey,
  wrapDataKey,
  wrappingKeyIdOf,
  type DataKey,
  type DataKeySource,
  type MasterKey,
  type MasterKeyring,
  type SecretBox,
} from './envelope.ts';

/** Path of the generated master key inside the data directory (when STEWARD_MASTER_KEY is unset). */
export function masterKeyPath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'master-key');
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  if (!existsSync(file)) return null;
  const key = parseMasterKey(await readFile(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a base64-encoded 32-byte master key`);
  return key;
}

/**
 * The master keyring of this process: STEWARD_MASTER_KEY (plus STEWARD_MASTER_KEY_PREVIOUS) when
 * configured, otherwise `secrets/master-key` in the data directory, created (mode 0600) on first
 * use, plus the `.previous` and `.next` files a file-based rotation leaves behind.
 */
export async function loadMasterKeyring(options: {
  dataDir: string;
  masterKey: Buffer | undefined;
  previousMasterKeys: readonly Buffer[];
}): Promise<MasterKeyring> {
  const file = masterKeyPath(options.dataDir);
  const fileKeys = (
    await Promise.all([readKeyFile(`${file}.previous`), readKeyFile(`${file}.next`)])
  ).filter((k): k is Buffer => k !== null);
  if (options.masterKey) {
    return createKeyring(options.masterKey, [...options.previousMasterKeys, ...fileKeys]);
  }
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${generateMasterKeyText()}\n`, { mode: 0o600, flag: 'wx' }).catch(
      (error: unknown) => {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      },
    );
  }
  const primary = await readKeyFile(file);
  if (!primary) throw new Error(`cannot read ${file}`);
  return createKeyring(primary, [...options.previousMasterKeys, ...fileKeys]);
}

async function loadRows(db: Db) {
  return db
    .selectFrom('crypto_data_keys')
    .select(['id', 'wrapped_key', 'is_active'])
    .orderBy('created_at')
    .execute();
}

/**
 * Make sure an active data key exists (created under the primary master key on first start,
 * serialised by an advisory lock so concurrent starts create one), using the owner connection.
 */
export async function ensureActiveDataKey(owner: Db, ring: MasterKeyring): Promise<void> {
  await owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('steward.data-keys'))`.execute(tx);
    const active = await tx
      .selectFrom('crypto_data_keys')
      .select('id')
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (active) return;
    const dataKey = generateDataKey();
    await tx
      .insertInto('crypto_data_keys')
      .values({
        id: dataKey.id,
        master_key_id: ring.primary.id,
        wrapped_key: wrapDataKey(ring.primary, dataKey),
        is_active: true,
      })
      .execute();
  });
}

/**
 * Data keys from the database, unwrapped with the keyring. All are loaded at start, so a
 * misconfigured master key stops the process before it serves; a key created later by another
 * process (`steward keys rotate --new-data-key`) is loaded on first sight.
 */
export async function createDatabaseKeySource(
  db: Db,
  initialRing: MasterKeyring,
  reloadRing: () => Promise<MasterKeyring> = () => Promise.resolve(initialRing),
): Promise<DataKeySource> {
  const byId = new Map<string, DataKey>();
  let activeId: string | null = null;
  let ring = initialRing;
  async function reload(): Promise<void> {
    for (const row of await loadRows(db)) {
      if (!byId.has(row.id)) {
        // A key made after a rotation may be wrapped by a master key this process has not read
        // yet (file-based rotation replaced it on disk): re-read the keyring once.
        const wrappedBy = wrappingKeyIdOf(row.wrapped_key);
        if (wrappedBy && !ring.byId.has(wrappedBy)) ring = await reloadRing();
        byId.set(row.id, unwrapDataKey(ring, row.id, row.wrapped_key));
      }
      if (row.is_active) activeId = row.id;
    }
  }
  await reload();
  return {
    active() {
      const key = activeId ? byId.get(activeId) : undefined;
      if (!key) throw new Error('no active data key; start-up should have created one');
      return key;
    },
    async find(id) {
      if (!byId.has(id)) await reload();
      return byId.get(id);
    },
  };
}

/** What a rotation did. */
export interface RotationResult {
  masterKeyId: string;
  rewrapped: number;
  newDataKeyId: string | null;
}

/**
 * Re-wrap every data key under `target` (and optionally start a new active data key) in one
 * transaction, recording `keys.rotated` in every organisation's audit chain. Running processes
 * keep their unwrapped data keys in memory, so they serve on throughout.
 */
export async function rewrapDataKeys(options: {
  owner: Db;
  ring: MasterKeyring;
  target: MasterKey;
  newDataKey: boolean;
  auditWriter: AuditWriter;
  actor: Actor;
}): Promise<RotationResult> {
  const { owner, ring, target } = options;
  return owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('steward.data-keys'))`.execute(tx);
    const rows = await tx
      .selectFrom('crypto_data_keys')
      .select(['id', 'wrapped_key'])
      .forUpdate()
      .execute();
    for (const row of rows) {
      const dataKey = unwrapDataKey(ring, row.id, row.wrapped_key);
      await tx
        .updateTable('crypto_data_keys')
        .set({
          master_key_id: target.id,
          wrapped_key: wrapDataKey(target, dataKey),
          rewrapped_at: new Date(),
        })
        .where('id', '=', row.id)
        .execute();
    }
    let newDataKeyId: string | null = null;
    if (options.newDataKey) {
      const dataKey = generateDataKey();
      await tx.updateTable('crypto_data_keys').set({ is_active: false }).execute();
      await tx
        .insertInto('crypto_data_keys')
        .values({
          id: dataKey.id,
          master_key_id: target.id,
          wrapped_key: wrapDataKey(target, dataKey),
          is_active: true,
        })
        .execute();
      newDataKeyId = dataKey.id;
    }
    const result = { masterKeyId: target.id, rewrapped: rows.length, newDataKeyId };
    const orgs = await tx.selectFrom('orgs').select('id').execute();
    for (const org of orgs) {
      const cursor = await options.auditWriter.openChain(tx, org.id);
      await options.auditWriter.append(tx, cursor, options.actor, {
        action: 'keys.rotated',
        targetType: 'master_key',
        targetId: target.id,
        changes: { ...result },
      });
      await options.auditWriter.closeChain(tx, cursor);
    }
    return result;
  });
}

/**
 * File-based rotation: stage the new key as `master-key.next` before the database changes, then
 * keep the old one as `master-key.previous` so a process restarting mid-way can still unwrap.
 */
export async function stageMasterKeyFile(dataDir: string, keyText: string): Promise<void> {
  const file = masterKeyPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.next`, `${keyText.trim()}\n`, { mode: 0o600 });
}

/** Promote the staged key once the data keys are re-wrapped under it. */
export async function promoteMasterKeyFile(dataDir: string): Promise<void> {
  const file = masterKeyPath(dataDir);
  if (existsSync(file)) await rename(file, `${file}.previous`);
  await rename(`${file}.next`, file);
}

/** A secret box whose keys load on first use; `ready()` loads them now (start-up checks). */
export interface LazySecretBox extends SecretBox {
  ready(): Promise<void>;
}

/**
 * The secret box of a process: load the master keyring, make sure a data key exists (owner
 * connection), and read data keys through the app connection. Loading waits for first use (or
 * `ready()`), so the app can be composed while the database is down; a failed load is retried.
 */
export function openSecretBox(options: {
  owner: Db;
  app: Db;
  dataDir: string;
  masterKey: { current: Buffer | undefined; previous: readonly Buffer[] };
}): LazySecretBox {
  const loadRing = () =>
    loadMasterKeyring({
      dataDir: options.dataDir,
      masterKey: options.masterKey.current,
      previousMasterKeys: options.masterKey.previous,
    });
  let loading: Promise<SecretBox> | null = null;
  function load(): Promise<SecretBox> {
    loading ??= (async () => {
      const ring = await loadRing();
      await ensureActiveDataKey(options.owner, ring);
      return createSecretBox(await createDatabaseKeySource(options.app, ring, loadRing));
    })().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  }
  return {
    async ready() {
      await load();
    },
    async sealSecret(purpose, plaintext) {
      return (await load()).sealSecret(purpose, plaintext);
    },
    async openSecret(purpose, sealed) {
      return (await load()).openSecret(purpose, sealed);
    },
  };
}
