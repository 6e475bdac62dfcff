import type {
  ControlStatus,
  Framework,
  Requirement,
  frameworkDetailSchema,
  oscalImportResultSchema,
} from '@steward/contracts';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { recordReadiness, todayUtc } from '../controls/index.ts';
import { buildSimilarityIndex } from '../promises/similarity.ts';
import { annexFramework, annexRequirements, annexSections } from './annex-catalogue.ts';
import * as repo from './frameworks.repo.ts';
import {
  OscalError,
  narrowCatalogByProfile,
  parseOscalCatalog,
  parseOscalProfile,
  type ImportedCatalog,
} from './oscal-catalog.ts';
import { describeReferenceMappings } from './reference-mappings.ts';

/** A framework with its requirements. */
export type FrameworkDetail = z.infer<typeof frameworkDetailSchema>;

/** What an OSCAL import did. */
export type OscalImportResult = z.infer<typeof oscalImportResultSchema>;

/** An OSCAL file as text, with the name it is reported under. */
export interface OscalFile {
  fileName: string;
  text: string;
}

/** What to import: a catalog, optionally narrowed by a profile, optionally mapped to controls. */
export interface OscalImportInput {
  catalog: OscalFile;
  profile?: OscalFile | undefined;
  /** Map each requirement to live controls at least this similar (0 = do not map). */
  autoMapThreshold: number;
}

/** Controls an auto-mapped requirement gets at most (the best-ranked ones). */
export const autoMapLimit = 5;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function percentOf(passing: number, total: number): number {
  return total === 0 ? 0 : Math.round((passing / total) * 1000) / 10;
}

function toFramework(row: repo.FrameworkRow, counts: repo.FrameworkCounts | undefined): Framework {
  const c = counts ?? { requirements: 0, mappedRequirements: 0, passing: 0, total: 0 };
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    version: row.version,
    description: row.description,
    source: row.source,
    requirementCount: c.requirements,
    mappedRequirementCount: c.mappedRequirements,
    readiness: { passing: c.passing, total: c.total, percent: percentOf(c.passing, c.total) },
    createdAt: row.created_at.toISOString(),
  };
}

function toRequirement(row: repo.RequirementRow, controls: repo.MappedControl[]): Requirement {
  return {
    id: row.id,
    frameworkId: row.framework_id,
    ref: row.ref,
    label: row.label,
    title: row.title,
    body: row.body,
    guidance: row.guidance,
    section: row.section,
    groupTitle: row.group_title,
    parentRef: row.parent_ref,
    mappings: describeReferenceMappings(row.mappings),
    controls: controls.map((c) => ({
      id: c.id,
      ref: c.ref,
      title: c.title,
      status: c.status as ControlStatus,
    })),
  };
}

async function loadFramework(tx: Tx, id: string): Promise<Framework> {
  const row = await repo.findFramework(tx, id);
  if (!row) throw new AppError('framework.not_found');
  return toFramework(row, (await repo.countFrameworks(tx, id)).get(id));
}

/** The org's frameworks with requirement and mapping counts and readiness. */
export async function listFrameworks(uow: UnitOfWork): Promise<Framework[]> {
  return uow.read(async (tx) => {
    const [rows, counts] = await Promise.all([repo.findFrameworks(tx), repo.countFrameworks(tx)]);
    return rows.map((row) => toFramework(row, counts.get(row.id)));
  });
}

/** A framework with its requirements, their reference mappings and the controls mapped to them. */
export async function getFramework(uow: UnitOfWork, id: string): Promise<FrameworkDetail> {
  return uow.read(async (tx) => {
    const framework = await loadFramework(tx, id);
    const [requirements, controls] = await Promise.all([
      repo.findRequirements(tx, id),
      repo.findMappedControls(tx, { frameworkId: id }),
    ]);
    return {
      framework,
      requirements: requirements.map((r) => toRequirement(r, controls.get(r.id) ?? [])),
    };
  });
}

function invalidOscal(error: OscalError, field: 'catalog' | 'profile'): AppError {
  return new AppError('oscal.invalid', error.message, [{ path: field, message: error.message }]);
}

/** Parse the files (and narrow by the profile) before any database work; errors name the file. */
function readCatalog(input: OscalImportInput): ImportedCatalog {
  let catalog: ImportedCatalog;
  try {
    catalog = parseOscalCatalog(input.catalog.text, input.catalog.fileName);
  } catch (error) {
    if (error instanceof OscalError) throw invalidOscal(error, 'catalog');
    throw error;
  }
  if (input.profile !== undefined) {
    try {
      const profile = parseOscalProfile(input.profile.text, input.profile.fileName);
      catalog = narrowCatalogByProfile(catalog, profile);
    } catch (error) {
      if (error instanceof OscalError) {
        // Narrowing errors do not carry the file name; the profile is what names missing ids.
        const named = error.message.startsWith(`${input.profile.fileName}: `)
          ? error
          : new OscalError(`${input.profile.fileName}: ${error.message}`, error.where);
        throw invalidOscal(named, 'profile');
      }
      throw error;
    }
  }
  const field = input.profile === undefined ? 'catalog' : 'profile';
  const file = input.profile ?? input.catalog;
  if (!uuidPattern.test(catalog.uuid)) {
    throw invalidOscal(
      new OscalError(`${file.fileName}: the uuid "${catalog.uuid}" is not a UUID`, {
        path: `${field}.uuid`,
      }),
      field,
    );
  }
  if (catalog.requirements.length === 0) {
    throw invalidOscal(new OscalError(`${file.fileName}: there are no controls to import`), field);
  }
  return catalog;
}

function frameworkKeyOf(catalog: ImportedCatalog): string {
  return `oscal:${catalog.uuid.toLowerCase()}`;
}

function alreadyImported(name: string): AppError {
  return new AppError('framework.exists', `"${name}" is already imported`);
}

/**
 * Import an OSCAL catalog (narrowed by a profile when one is given) as a framework, in one
 * transaction: the framework, its requirements in batches, and with a threshold the controls each
 * requirement is mapped to by text similarity. The key is `oscal:<uuid>` of the catalog (the
 * profile's when narrowed), so the same catalog cannot be imported twice.
 */
export async function importOscalCatalog(
  uow: UnitOfWork,
  input: OscalImportInput,
): Promise<OscalImportResult> {
  const started = performance.now();
  const catalog = readCatalog(input);
  const key = frameworkKeyOf(catalog);
  try {
    const result = await uow.write(async ({ tx, audit }) => {
      if ((await repo.findFrameworkIdByKey(tx, key)) !== undefined) {
        throw alreadyImported(catalog.title);
      }
      const description =
        input.profile === undefined
          ? `Imported from the OSCAL catalog ${input.catalog.fileName}`
          : `Imported from the OSCAL catalog ${input.catalog.fileName}, narrowed by the profile ${input.profile.fileName}`;
      const framework = await repo.insertFramework(tx, {
        orgId: uow.orgId,
        key,
        name: catalog.title.slice(0, 300),
        version: catalog.version,
        description,
        source: 'oscal',
        oscalUuid: catalog.uuid,
        oscalVersion: catalog.oscalVersion,
      });
      const ids = await repo.insertRequirements(
        tx,
        uow.orgId,
        framework.id,
        catalog.requirements.map((r) => ({
          ref: r.ref,
          label: r.label,
          title: r.title,
          body: r.text,
          guidance: r.guidance,
          section: null,
          groupTitle: r.groupTitle,
          parentRef: r.parentRef,
          sortOrder: r.sortOrder,
          mappings: [],
        })),
      );
      let mappedRequirementCount = 0;
      let linkCount = 0;
      if (input.autoMapThreshold > 0) {
        const controls = await repo.findControlTexts(tx);
        const index = buildSimilarityIndex(controls);
        const links: { controlId: string; requirementId: string }[] = [];
        for (const requirement of catalog.requirements) {
          const requirementId = ids.get(requirement.ref);
          if (requirementId === undefined) continue;
          // The title alone ranks best: long statements full of parameters dilute the score.
          const matches = index
            .rank(requirement.title, autoMapLimit)
            .filter((m) => m.score >= input.autoMapThreshold);
          if (matches.length > 0) mappedRequirementCount += 1;
          for (const match of matches) links.push({ controlId: match.id, requirementId });
        }
        await repo.insertRequirementLinks(tx, uow.orgId, links);
        linkCount = links.length;
        if (links.length > 0) await recordReadiness(tx, uow.orgId, todayUtc());
      }
      await audit({
        action: 'framework.imported',
        targetType: 'framework',
        targetId: framework.id,
        changes: {
          key,
          name: framework.name,
          version: framework.version,
          oscalVersion: catalog.oscalVersion,
          catalogFile: input.catalog.fileName,
          profileFile: input.profile?.fileName ?? null,
          requirementCount: ids.size,
          autoMapThreshold: input.autoMapThreshold,
          mappedRequirementCount,
          controlLinks: linkCount,
        },
      });
      return {
        framework: await loadFramework(tx, framework.id),
        requirementCount: ids.size,
        mappedRequirementCount,
      };
    });
    return { ...result, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'frameworks_org_id_key_key') {
      throw alreadyImported(catalog.title);
    }
    throw error;
  }
}

/** Remove an imported framework, its requirements and their control links. */
export async function deleteFramework(uow: UnitOfWork, id: string): Promise<void> {
  await uow.write(async ({ tx, audit }) => {
    const framework = await repo.findFramework(tx, id);
    if (!framework) throw new AppError('framework.not_found');
    if (framework.source === 'builtin') throw new AppError('framework.builtin');
    const counts = (await repo.countFrameworks(tx, id)).get(id);
    const controlIds = await repo.findFrameworkControlIds(tx, id);
    await repo.deleteFramework(tx, id);
    await audit({
      action: 'framework.deleted',
      targetType: 'framework',
      targetId: id,
      changes: {
        key: framework.key,
        name: framework.name,
        requirementCount: counts?.requirements ?? 0,
        unmappedControls: controlIds.length,
      },
    });
    await recordReadiness(tx, uow.orgId, todayUtc());
  });
}

/** Replace the controls that satisfy a requirement. */
export async function setRequirementControls(
  uow: UnitOfWork,
  id: string,
  controlIds: readonly string[],
): Promise<Requirement> {
  const wanted = [...new Set(controlIds)];
  return uow.write(async ({ tx, audit }) => {
    const requirement = await repo.lockRequirement(tx, id);
    if (!requirement) throw new AppError('requirement.not_found');
    const found = await repo.findControlIds(tx, wanted);
    const missing = wanted.filter((c) => !found.has(c));
    if (missing.length > 0) {
      throw new AppError('request.invalid', `No such control: ${missing.join(', ')}`, [
        { path: 'controlIds', message: `No such control: ${missing.join(', ')}` },
      ]);
    }
    const current = (await repo.findMappedControls(tx, { requirementId: id })).get(id) ?? [];
    const currentIds = new Set(current.map((c) => c.id));
    const keep = new Set(wanted);
    const added = wanted.filter((c) => !currentIds.has(c));
    const removed = [...currentIds].filter((c) => !keep.has(c));
    await repo.deleteRequirementLinks(tx, id, removed);
    await repo.insertRequirementLinks(
      tx,
      uow.orgId,
      added.map((controlId) => ({ controlId, requirementId: id })),
    );
    await audit({
      action: 'control.requirements_updated',
      targetType: 'requirement',
      targetId: id,
      changes: { frameworkId: requirement.framework_id, ref: requirement.ref, added, removed },
    });
    await recordReadiness(tx, uow.orgId, todayUtc());
    const controls = (await repo.findMappedControls(tx, { requirementId: id })).get(id) ?? [];
    return toRequirement(requirement, controls);
  });
}

/**
 * Insert the built-in "Security measures annex" framework of a new organisation with its
 * requirements (section, reference mappings). Returns each requirement's id by ref.
 */
export async function seedBuiltinFramework(tx: Tx, orgId: string): Promise<Map<string, string>> {
  const framework = await repo.insertFramework(tx, {
    orgId,
    key: annexFramework.key,
    name: annexFramework.name,
    version: annexFramework.version,
    description: annexFramework.description,
    source: 'builtin',
    oscalUuid: null,
    oscalVersion: null,
  });
  const sectionTitles = new Map(annexSections.map((s) => [s.number, s.title]));
  return repo.insertRequirements(
    tx,
    orgId,
    framework.id,
    annexRequirements.map((r, index) => ({
      ref: r.ref,
      label: r.ref,
      title: r.title,
      body: r.text,
      guidance: r.guidance,
      section: r.section,
      groupTitle: sectionTitles.get(r.section) ?? null,
      parentRef: null,
      sortOrder: index,
      mappings: r.references,
    })),
  );
}
