import type { Command } from 'commander';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { readSecretFile } from '../input.ts';

/** `steward keys rotate`. */
export function defineKeysCommands(keys: Command): void {
  keys
    .command('rotate')
    .description(
      're-wrap every data key under a new master key while Steward keeps running. Without ' +
        'STEWARD_MASTER_KEY the key in <data dir>/secrets/master-key is replaced (the old one is ' +
        'kept as master-key.previous). With STEWARD_MASTER_KEY, re-wrap under it (after adding ' +
        'the old key to STEWARD_MASTER_KEY_PREVIOUS everywhere), or under --new-master-key-file',
    )
    .option('--new-master-key-file <file>', 'the new master key: base64 of 32 random bytes')
    .option('--new-data-key', 'also start a new data key for secrets sealed from now on')
    .action(async (options: { newMasterKeyFile?: string; newDataKey?: boolean }) => {
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const {
          createAuditWriter,
          createKeyring,
          ensureActiveDataKey,
          generateMasterKeyText,
          loadMasterKeyring,
          loadOrCreateSigner,
          parseMasterKey,
          promoteMasterKeyFile,
          rewrapDataKeys,
          stageMasterKeyFile,
        } = server;
        const ring = await loadMasterKeyring({
          dataDir: config.dataDir,
          masterKey: config.masterKey.current,
          previousMasterKeys: config.masterKey.previous,
        });
        let targetKey: Buffer;
        if (options.newMasterKeyFile) {
          const text = await readSecretFile(options.newMasterKeyFile, '--new-master-key-file');
          const parsed = parseMasterKey(text);
          if (!parsed) {
            throw new CliError(
              '--new-master-key-file: must hold the base64 encoding of exactly 32 random bytes',
              2,
            );
          }
          targetKey = parsed;
        } else if (config.masterKey.current) {
          targetKey = config.masterKey.current;
        } else {
          targetKey = parseMasterKey(generateMasterKeyText()) ?? Buffer.alloc(0);
        }
        const target = createKeyring(targetKey).primary;
        const isFileMode = !config.masterKey.current;
        if (isFileMode && target.id !== ring.primary.id) {
          await stageMasterKeyFile(config.dataDir, targetKey.toString('base64'));
        }
        await ensureActiveDataKey(database.pools.owner, ring);
        const result = await rewrapDataKeys({
          owner: database.pools.owner,
          ring,
          target,
          newDataKey: options.newDataKey === true,
          auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
          actor: cliActor(),
        });
        if (isFileMode && target.id !== ring.primary.id) await promoteMasterKeyFile(config.dataDir);
        process.stdout.write(
          `ok, re-wrapped ${result.rewrapped} data key(s) under master key ${result.masterKeyId}` +
            (result.newDataKeyId ? `; new data key ${result.newDataKeyId}` : '') +
            '\n',
        );
        if (!isFileMode && target.id !== ring.primary.id) {
          process.stdout.write(
            'Now set STEWARD_MASTER_KEY to the new key (keep the old one in ' +
              'STEWARD_MASTER_KEY_PREVIOUS until every process has restarted).\n',
          );
        }
      });
    });
}
