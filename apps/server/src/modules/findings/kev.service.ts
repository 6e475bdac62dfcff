import { sql } from 'kysely';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { recordInstallationEvent } from '../../platform/audit/installation-log.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { listOrgIds } from '../../platform/jobs/org-sweep-helpers.ts';
import { findSlaPolicy, recomputeDueDates } from './sla-policy.repo.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

/** One entry of CISA's Known Exploited Vulnerabilities catalog. */
export interface KevEntry {
  cveId: string;
  vendor: string | null;
  product: string | null;
  name: string | null;
  dateAdded: string | null;
  dueDate: string | null;
  isKnownRansomware: boolean;
}

/** CISA's KEV catalog as read from its JSON file. */
export interface KevCatalog {
  catalogVersion: string | null;
  entries: KevEntry[];
}

/** A KEV file that cannot be read: what is wrong and where. */
export class KevCatalogError extends Error {}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function day(value: unknown): string | null {
  const t = text(value);
  return t !== null && /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : null;
}

/**
 * Read CISA's KEV JSON (`{catalogVersion, vulnerabilities: [{cveID, vendorProject, product,
 * vulnerabilityName, dateAdded, dueDate, knownRansomwareCampaignUse}]}`). Entries without a valid
 * CVE id are refused, naming their position.
 */
export function parseKevCatalog(json: string): KevCatalog {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new KevCatalogError(`not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KevCatalogError('not a KEV catalog: the top level is not an object');
  }
  const root = value as Record<string, unknown>;
  if (!Array.isArray(root.vulnerabilities)) {
    throw new KevCatalogError('not a KEV catalog: `vulnerabilities` is not a list');
  }
  const entries = new Map<string, KevEntry>();
  root.vulnerabilities.forEach((item: unknown, index) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const cveId = text(entry.cveID)?.toUpperCase();
    if (cveId === undefined || !/^CVE-\d{4}-\d{4,}$/.test(cveId)) {
      throw new KevCatalogError(`vulnerabilities[${String(index)}].cveID is not a CVE id`);
    }
    entries.set(cveId, {
      cveId,
      vendor: text(entry.vendorProject),
      product: text(entry.product),
      name: text(entry.vulnerabilityName),
      dateAdded: day(entry.dateAdded),
      dueDate: day(entry.dueDate),
      isKnownRansomware: text(entry.knownRansomwareCampaignUse)?.toLowerCase() === 'known',
    });
  });
  return { catalogVersion: text(root.catalogVersion), entries: [...entries.values()] };
}

/** What importing the catalog changed. */
export interface KevImportResult {
  catalogVersion: string | null;
  entries: number;
  added: number;
  removed: number;
  orgs: { orgId: string; marked: number; unmarked: number; dueDatesChanged: number }[];
}

/** What the KEV import needs: the owner connection writes the installation-wide catalog. */
export interface KevImportDeps {
  owner: Db;
  app: Db;
  auditWriter: AuditWriter;
}

/**
 * Replace the installation's KEV catalog (owner connection, one transaction, recorded in the
 * installation log), then in each organisation mark its findings in the catalog (and unmark those
 * no longer in it) and recompute their due dates, audited as `kev.imported` in that org's log.
 */
export async function importKevCatalog(
  deps: KevImportDeps,
  actor: Actor,
  catalog: KevCatalog,
): Promise<KevImportResult> {
  const json = JSON.stringify(
    catalog.entries.map((e) => ({
      cve_id: e.cveId,
      vendor: e.vendor,
      product: e.product,
      name: e.name,
      date_added: e.dateAdded,
      due_date: e.dueDate,
      known_ransomware: e.isKnownRansomware,
    })),
  );
  const { added, removed } = await deps.owner.transaction().execute(async (tx) => {
    const before = await sql<{ n: string }>`SELECT count(*) AS n FROM kev_entries`.execute(tx);
    const deleted = await sql`
      DELETE FROM kev_entries
       WHERE cve_id NOT IN (SELECT x.cve_id FROM jsonb_to_recordset(${json}::jsonb) AS x(cve_id text))`.execute(
      tx,
    );
    await sql`
      INSERT INTO kev_entries (cve_id, vendor, product, name, date_added, due_date, known_ransomware, imported_at)
      SELECT x.cve_id, x.vendor, x.product, x.name, x.date_added, x.due_date, x.known_ransomware, now()
        FROM jsonb_to_recordset(${json}::jsonb) AS x(cve_id text, vendor text, product text,
             name text, date_added date, due_date date, known_ransomware boolean)
      ON CONFLICT (cve_id) DO UPDATE
         SET vendor = excluded.vendor, product = excluded.product, name = excluded.name,
             date_added = excluded.date_added, due_date = excluded.due_date,
             known_ransomware = excluded.known_ransomware, imported_at = excluded.imported_at`.execute(
      tx,
    );
    const removedCount = Number(deleted.numAffectedRows ?? 0);
    const addedCount = catalog.entries.length - (Number(before.rows[0]?.n ?? 0) - removedCount);
    await recordInstallationEvent(tx, {
      kind: 'kev.imported',
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
      detail: {
        actor: actor.label,
        catalogVersion: catalog.catalogVersion,
        entries: catalog.entries.length,
        added: addedCount,
        removed: removedCount,
      },
    });
    return { added: addedCount, removed: removedCount };
  });

  const orgIds = await listOrgIds(deps.app);
  const orgs: KevImportResult['orgs'] = [];
  for (const orgId of orgIds) {
    const uow = createUnitOfWork({ db: deps.app, auditWriter: deps.auditWriter, orgId, actor });
    orgs.push(
      await uow.write(async (scope) => {
        const { tx } = scope;
        const changed = await sql<{ id: string; is_kev: boolean }>`
          WITH kev AS (SELECT coalesce(array_agg(cve_id), '{}') AS ids FROM kev_entries)
          UPDATE findings f SET is_kev = NOT f.is_kev, updated_at = now()
            FROM kev
           WHERE (NOT f.is_kev AND f.vulnerability_ids && kev.ids)
              OR (f.is_kev AND NOT (f.vulnerability_ids && kev.ids))
          RETURNING f.id, f.is_kev`.execute(tx);
        const ids = changed.rows.map((r) => r.id);
        const marked = changed.rows.filter((r) => r.is_kev).length;
        const dueDatesChanged =
          ids.length === 0
            ? 0
            : await recomputeDueDates(tx, await findSlaPolicy(tx), { findingIds: ids });
        const outcome = { orgId, marked, unmarked: ids.length - marked, dueDatesChanged };
        await scope.audit({
          action: 'kev.imported',
          targetType: 'kev_catalog',
          targetId: catalog.catalogVersion,
          changes: { entries: catalog.entries.length, ...outcome },
        });
        if (ids.length > 0) {
          await recordVulnerabilityChecks(scope, orgId, {
            userId: null,
            label: actor.label ?? 'cli',
          });
        }
        return outcome;
      }),
    );
  }
  return {
    catalogVersion: catalog.catalogVersion,
    entries: catalog.entries.length,
    added,
    removed,
    orgs,
  };
}
