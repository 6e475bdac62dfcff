import type { AccessProfile, accessProfileInputSchema } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import * as repo from './systems.repo.ts';

type ProfileInput = z.output<typeof accessProfileInputSchema>;

function notFound(): AppError {
  return new AppError('access_profile.not_found');
}

async function toProfiles(tx: Tx, rows: readonly repo.ProfileRow[]): Promise<AccessProfile[]> {
  const parts = await repo.findProfileParts(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    matchDepartment: r.match_department,
    matchTitle: r.match_title,
    people: parts.people
      .filter((p) => p.profile_id === r.id)
      .map((p) => ({ id: p.id, displayName: p.display_name })),
    entitlements: parts.entitlements
      .filter((e) => e.profile_id === r.id)
      .map((e) => ({
        systemId: e.system_id,
        systemName: e.system_name,
        kind: e.kind as AccessProfile['entitlements'][number]['kind'],
        name: e.name,
      })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

async function readProfile(tx: Tx, id: string): Promise<AccessProfile> {
  const [profile] = await toProfiles(tx, await repo.findProfiles(tx, id));
  if (!profile) throw notFound();
  return profile;
}

/** Role profiles of the org. */
export async function listProfiles(uow: UnitOfWork): Promise<{ items: AccessProfile[] }> {
  return uow.read(async (tx) => ({ items: await toProfiles(tx, await repo.findProfiles(tx)) }));
}

/** One role profile. */
export async function getProfile(uow: UnitOfWork, id: string): Promise<AccessProfile> {
  return uow.read((tx) => readProfile(tx, id));
}

async function validate(tx: Tx, input: ProfileInput, exceptId?: string): Promise<void> {
  if (await repo.findProfileIdByName(tx, input.name, exceptId)) {
    throw new AppError('access_profile.name_taken', `A role profile named "${input.name}" exists`, [
      { path: 'name', message: 'Another role profile has this name' },
    ]);
  }
  if (input.matchTitle && !input.matchDepartment) {
    throw new AppError('request.invalid', 'A title matches only within a department', [
      { path: 'matchDepartment', message: 'Enter the department the title belongs to' },
    ]);
  }
  const people = await repo.findPersonIds(tx, input.personIds);
  const missingPerson = input.personIds.findIndex((id) => !people.has(id));
  if (missingPerson >= 0) {
    throw new AppError('request.invalid', 'A person is not in the directory', [
      { path: `personIds.${String(missingPerson)}`, message: 'No such person' },
    ]);
  }
  const systems = await repo.findSystemIds(
    tx,
    input.entitlements.map((e) => e.systemId),
  );
  const missingSystem = input.entitlements.findIndex((e) => !systems.has(e.systemId));
  if (missingSystem >= 0) {
    throw new AppError('request.invalid', 'A system is not in the inventory', [
      { path: `entitlements.${String(missingSystem)}.systemId`, message: 'No such system' },
    ]);
  }
}

/** Define a role profile with its people and allowed entitlements. */
export async function createProfile(uow: UnitOfWork, input: ProfileInput): Promise<AccessProfile> {
  return uow.write(async ({ tx, audit }) => {
    await validate(tx, input);
    const id = randomUUID();
    await tx
      .insertInto('access_profiles')
      .values({
        id,
        org_id: uow.orgId,
        name: input.name,
        description: input.description ?? null,
        match_department: input.matchDepartment ?? null,
        match_title: input.matchTitle ?? null,
      })
      .execute();
    await repo.replaceProfileParts(tx, uow.orgId, id, input.personIds, input.entitlements);
    await audit({
      action: 'access_profile.created',
      targetType: 'access_profile',
      targetId: id,
      changes: { ...input },
    });
    return readProfile(tx, id);
  });
}

/** Replace a role profile. */
export async function updateProfile(
  uow: UnitOfWork,
  id: string,
  input: ProfileInput,
): Promise<AccessProfile> {
  return uow.write(async ({ tx, audit }) => {
    const before = await readProfile(tx, id);
    await validate(tx, input, id);
    await tx
      .updateTable('access_profiles')
      .set({
        name: input.name,
        description: input.description ?? null,
        match_department: input.matchDepartment ?? null,
        match_title: input.matchTitle ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await repo.replaceProfileParts(tx, uow.orgId, id, input.personIds, input.entitlements);
    await audit({
      action: 'access_profile.updated',
      targetType: 'access_profile',
      targetId: id,
      changes: {
        before: {
          name: before.name,
          people: before.people.length,
          entitlements: before.entitlements.length,
        },
        after: { ...input },
      },
    });
    return readProfile(tx, id);
  });
}

/** Delete a role profile. */
export async function deleteProfile(uow: UnitOfWork, id: string): Promise<{ ok: true }> {
  return uow.write(async ({ tx, audit }) => {
    const before = await readProfile(tx, id);
    await tx.deleteFrom('access_profiles').where('id', '=', id).execute();
    await audit({
      action: 'access_profile.deleted',
      targetType: 'access_profile',
      targetId: id,
      changes: {
        name: before.name,
        entitlements: before.entitlements.map((e) => `${e.systemName}: ${e.kind} ${e.name}`),
      },
    });
    return { ok: true as const };
  });
}
