import { AppError } from '../errors/app-error.ts';
import type { CompiledQuery } from 'kysely';
import { queryArraysInOrg, queryInOrg, withOrg, type Db, type Tx } from '../db/pools.ts';
import type { Actor, AuditEventInput, AuditWriter, ChainCursor } from './audit-writer.ts';

/** What a service gets inside a write transaction. */
export interface WriteScope {
  tx: Tx;
  /** Record an audit event in this transaction. */
  audit: (event: AuditEventInput) => Promise<void>;
  /** Run after the transaction commits (enqueue jobs, send mail). */
  afterCommit: (fn: () => Promise<void>) => void;
  /**
   * Lock the org's chain head now instead of at the first audit event: the lock then travels
   * with the statements just sent, in their round trip. Call it after sending the write's own
   * statements (rows are locked before the head, as in every write) and audit afterwards.
   */
  lockAuditAhead: () => void;
}

/** An organisation-scoped handle for services: reads, and audited writes. */
export interface UnitOfWork {
  orgId: string;
  actor: Actor;
  /** A read-only view of the org's rows. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One query in a read-only view of the org's rows, answered in a single round trip (for hot
   * reads that need one statement; use `read` when several must see the same snapshot).
   */
  readQuery<R>(query: CompiledQuery<R>): Promise<R[]>;
  /** readQuery answering each row as the array of its column values, in the select list's order. */
  readArrays(query: CompiledQuery): Promise<unknown[][]>;
  /** A write transaction; it rolls back unless at least one audit event was recorded in it. */
  write<T>(fn: (scope: WriteScope) => Promise<T>): Promise<T>;
  /** Actions recorded by committed writes, in order. */
  recordedActions: string[];
}

/** Create a unit of work for one actor in one organisation. */
export function createUnitOfWork(deps: {
  db: Db;
  auditWriter: AuditWriter;
  orgId: string;
  actor: Actor;
  onAfterCommitError?: (error: unknown) => void;
}): UnitOfWork {
  const recordedActions: string[] = [];
  return {
    orgId: deps.orgId,
    actor: deps.actor,
    recordedActions,
    read: (fn) => withOrg(deps.db, deps.orgId, fn),
    readQuery: (query) => queryInOrg(deps.db, deps.orgId, query),
    readArrays: (query) => queryArraysInOrg(deps.db, deps.orgId, query),
    async write(fn) {
      const actions: string[] = [];
      const after: (() => Promise<void>)[] = [];
      const result = await withOrg(deps.db, deps.orgId, async (tx) => {
        const chain: { cursor: ChainCursor | null; opening: Promise<ChainCursor> | null } = {
          cursor: null,
          opening: null,
        };
        const openChain = (): Promise<ChainCursor> => {
          if (!chain.opening) {
            chain.opening = deps.auditWriter.openChain(tx, deps.orgId);
            // Awaited by the first event; a write that fails before it must not leave it unhandled.
            chain.opening.catch(() => undefined);
          }
          return chain.opening;
        };
        const value = await fn({
          tx,
          audit: async (event) => {
            // The head is locked at the first event and held to commit, serialising the org's chain.
            chain.cursor ??= await openChain();
            await deps.auditWriter.append(tx, chain.cursor, deps.actor, event);
            actions.push(event.action);
          },
          afterCommit: (task) => after.push(task),
          lockAuditAhead: () => {
            void openChain();
          },
        });
        if (!chain.cursor || actions.length === 0) throw new AppError('audit.event_not_recorded');
        await deps.auditWriter.closeChain(tx, chain.cursor);
        return value;
      });
      recordedActions.push(...actions);
      for (const task of after) {
        await task().catch((error: unknown) => deps.onAfterCommitError?.(error));
      }
      return result;
    },
  };
}

/**
 * A unit of work whose reads and writes run inside an open write, so a service that opens its own
 * write (e.g. adding evidence) can join the caller's transaction and audit chain instead.
 */
export function scopedUnitOfWork(uow: UnitOfWork, scope: WriteScope): UnitOfWork {
  return {
    orgId: uow.orgId,
    actor: uow.actor,
    recordedActions: uow.recordedActions,
    read: (fn) => fn(scope.tx),
    readQuery: async (query) => (await scope.tx.executeQuery(query)).rows,
    readArrays: async (query) =>
      (await scope.tx.executeQuery(query)).rows.map((row): unknown[] =>
        Object.values(row as object),
      ),
    write: (fn) => fn(scope),
  };
}
