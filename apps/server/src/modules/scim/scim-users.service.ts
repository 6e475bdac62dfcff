import {
  employmentTypes,
  scimUrns,
  type EmploymentType,
  type PersonStatus,
  type scimListQuerySchema,
  type scimProjectionQuerySchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { ScimClient } from '../../platform/authz/identity.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  fieldsOf,
  notifierOf,
  resolveManager,
  savePerson,
  todayUtc,
  writeIfChanged,
  type PersonChangeListener,
  type PersonFields,
  type PersonRow,
  type SaveContext,
  type SavedPerson,
} from '../people/index.ts';
import {
  canonicalJson,
  invalidValue,
  isAttributeWanted,
  isJsonObject,
  normaliseResource,
  parseProjection,
  projectResource,
  type JsonObject,
  type NormalisedResource,
  type Projection,
} from './scim-document.ts';
import { applyPatch, parsePatchRequest } from './scim-patch.ts';
import { userResource } from './scim-schema.ts';
import * as repo from './scim-users.repo.ts';
import { listResources, type ResourceListing } from './scim-resource-list.service.ts';

/** What every SCIM call works with: the org's unit of work, the connection, the base URL. */
export interface ScimContext {
  uow: UnitOfWork;
  client: ScimClient;
  /** Absolute URL of the SCIM service, e.g. https://steward.example.com/scim/v2. */
  baseUrl: string;
  /** Told of every recorded directory change, in its transaction. */
  onPersonChanges?: PersonChangeListener | undefined;
}

/** A 404 for a resource. */
export function notFound(kind: 'User' | 'Group', id: string): AppError {
  return new AppError('scim.not_found', `No ${kind} with id ${id}`);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id can be one of ours (anything else is simply not found). */
export function isResourceId(id: string): boolean {
  return uuidPattern.test(id);
}

type Groups = { id: string; displayName: string }[];

/** A person as a SCIM User. */
export function toScimUser(row: repo.ScimUserRow, groups: Groups, baseUrl: string): JsonObject {
  const resource = isJsonObject(row.scim_resource) ? row.scim_resource : {};
  const { [scimUrns.enterpriseUser]: enterpriseValue, ...core } = resource;
  let enterprise = isJsonObject(enterpriseValue) ? { ...enterpriseValue } : null;
  if (enterprise && isJsonObject(enterprise.manager) && row.manager_id) {
    enterprise = {
      ...enterprise,
      manager: {
        ...enterprise.manager,
        $ref: `${baseUrl}/Users/${row.manager_id}`,
        ...(row.manager_name !== null ? { displayName: row.manager_name } : {}),
      },
    };
  }
  const steward = Object.fromEntries(
    Object.entries({
      employmentType: row.employment_type,
      startDate: row.start_date,
      endDate: row.end_date,
      status: row.status,
    }).filter(([, v]) => v !== null),
  );
  return {
    schemas: [
      scimUrns.user,
      ...(enterprise ? [scimUrns.enterpriseUser] : []),
      scimUrns.stewardUser,
    ],
    id: row.id,
    ...(row.scim_external_id !== null ? { externalId: row.scim_external_id } : {}),
    userName: row.scim_user_name,
    ...core,
    active: row.status !== 'departed',
    ...(enterprise ? { [scimUrns.enterpriseUser]: enterprise } : {}),
    [scimUrns.stewardUser]: steward,
    ...(groups.length > 0
      ? {
          groups: groups.map((g) => ({
            value: g.id,
            $ref: `${baseUrl}/Groups/${g.id}`,
            display: g.displayName,
            type: 'direct',
          })),
        }
      : {}),
    meta: {
      resourceType: 'User',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
    },
  };
}

/** The writable state of a user, as a PATCH starts from it. */
function writableDocument(row: PersonRow, baseUrl: string): JsonObject {
  const full = toScimUser({ ...row, manager_name: null }, [], baseUrl);
  const rest = Object.fromEntries(
    Object.entries(full).filter(([key]) => !['schemas', 'id', 'meta'].includes(key)),
  );
  const enterprise = rest[scimUrns.enterpriseUser];
  if (isJsonObject(enterprise) && isJsonObject(enterprise.manager)) {
    // The reference and name of a resolved manager are derived, not stored.
    rest[scimUrns.enterpriseUser] = { ...enterprise, manager: { value: enterprise.manager.value } };
  }
  return rest;
}

/** A user body brought to the directory's terms. */
interface MappedUser {
  userName: string;
  externalId: string | null;
  /** What is stored as the SCIM representation. */
  resource: JsonObject;
  active: boolean | undefined;
  /** Steward's extension, when the body carried it (else those fields stay as they are). */
  extension: {
    employmentType: EmploymentType | null;
    startDate: string | null;
    endDate: string | null;
  } | null;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  employeeNumber: string | null;
  department: string | null;
  title: string | null;
  managerRef: string | null;
  userType: string | null;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function extensionDay(value: unknown, name: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') {
    throw invalidValue(`${scimUrns.stewardUser}:${name} must be a date (YYYY-MM-DD)`);
  }
  const text = value;
  const date = new Date(`${text}T00:00:00Z`);
  if (
    !dayPattern.test(text) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== text
  ) {
    throw invalidValue(`${scimUrns.stewardUser}:${name} must be a date (YYYY-MM-DD)`);
  }
  return text;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function workEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const list = emails.filter(isJsonObject);
  const isWork = (e: JsonObject) => typeof e.type === 'string' && e.type.toLowerCase() === 'work';
  const chosen =
    list.find((e) => isWork(e) && e.primary === true) ??
    list.find(isWork) ??
    list.find((e) => e.primary === true) ??
    list[0];
  const value = chosen ? text(chosen.value) : null;
  // Only an address goes to the directory; any other text stays in the SCIM representation.
  return value && /^[^\s@]+@[^\s@]+$/.test(value) && value.length <= 320
    ? value.toLowerCase()
    : null;
}

function mapUser({ doc, extensions }: NormalisedResource): MappedUser {
  const userName = String(doc.userName);
  if (userName.trim() === '') throw invalidValue('userName is required');
  if (userName.length > 300) throw invalidValue('userName is longer than 300 characters');
  const displayNameValue = text(doc.displayName);
  if (displayNameValue && displayNameValue.length > 300) {
    throw invalidValue('displayName is longer than 300 characters');
  }
  const name = isJsonObject(doc.name) ? doc.name : {};
  const enterprise = isJsonObject(doc[scimUrns.enterpriseUser])
    ? (doc[scimUrns.enterpriseUser] as JsonObject)
    : {};
  const stewardValue = isJsonObject(doc[scimUrns.stewardUser])
    ? (doc[scimUrns.stewardUser] as JsonObject)
    : {};
  let extension: MappedUser['extension'] = null;
  if (extensions.has(scimUrns.stewardUser)) {
    const type = text(stewardValue.employmentType)?.toLowerCase() ?? null;
    if (type !== null && !(employmentTypes as readonly string[]).includes(type)) {
      throw invalidValue(
        `${scimUrns.stewardUser}:employmentType must be one of ${employmentTypes.join(', ')}`,
      );
    }
    extension = {
      employmentType: type as EmploymentType | null,
      startDate: extensionDay(stewardValue.startDate, 'startDate'),
      endDate: extensionDay(stewardValue.endDate, 'endDate'),
    };
    if (extension.startDate && extension.endDate && extension.endDate < extension.startDate) {
      throw invalidValue(`${scimUrns.stewardUser}:endDate is before startDate`);
    }
  }
  const givenName = text(name.givenName);
  const familyName = text(name.familyName);
  const joined = [givenName, familyName].filter(Boolean).join(' ');
  const resource = Object.fromEntries(
    Object.entries(doc).filter(
      ([key]) => !['userName', 'externalId', 'active', scimUrns.stewardUser].includes(key),
    ),
  );
  const manager = isJsonObject(enterprise.manager) ? enterprise.manager : {};
  return {
    userName,
    externalId: text(doc.externalId),
    resource,
    active: typeof doc.active === 'boolean' ? doc.active : undefined,
    extension,
    displayName: (displayNameValue ?? text(name.formatted) ?? (joined || userName)).slice(0, 300),
    givenName,
    familyName,
    email: workEmail(doc.emails),
    employeeNumber: text(enterprise.employeeNumber),
    department: text(enterprise.department),
    title: text(doc.title),
    managerRef: text(manager.value),
    userType: text(doc.userType),
  };
}

function employmentFromUserType(userType: string | null): EmploymentType | null {
  const lower = userType?.toLowerCase() ?? '';
  return (employmentTypes as readonly string[]).includes(lower) ? (lower as EmploymentType) : null;
}

async function desiredFields(
  tx: Tx,
  mapped: MappedUser,
  existing: PersonRow | null,
): Promise<PersonFields> {
  const before = existing ? fieldsOf(existing) : null;
  const today = todayUtc();
  const status: PersonStatus =
    mapped.active === false
      ? 'departed'
      : mapped.active === true && before?.status === 'departed'
        ? 'active'
        : (before?.status ?? 'active');
  const ext = mapped.extension;
  const startDate = ext ? ext.startDate : (before?.startDate ?? null);
  let endDate = ext ? ext.endDate : (before?.endDate ?? null);
  if (status === 'departed') {
    // A leaver's last day is never in the future: the identity provider says they are gone now.
    if (endDate === null || endDate > today) {
      endDate =
        before?.status === 'departed' && before.endDate && before.endDate <= today
          ? before.endDate
          : today;
    }
  } else if (before?.status === 'departed' && endDate === before.endDate) {
    // Back from departed: the old last day no longer holds unless the provider names a new one.
    endDate = null;
  }
  if (startDate && endDate && endDate < startDate) endDate = startDate;
  const managerId =
    before && mapped.managerRef === before.managerRef && before.managerId
      ? before.managerId
      : await resolveManager(tx, mapped.managerRef, existing?.id ?? null);
  return {
    displayName: mapped.displayName,
    givenName: mapped.givenName,
    familyName: mapped.familyName,
    email: mapped.email,
    employeeNumber: mapped.employeeNumber,
    department: mapped.department,
    title: mapped.title,
    managerId,
    managerRef: mapped.managerRef,
    employmentType:
      ext?.employmentType ?? before?.employmentType ?? employmentFromUserType(mapped.userType),
    startDate,
    endDate,
    status,
  };
}

function scimColumns(mapped: MappedUser, client: ScimClient) {
  return {
    source: 'scim',
    scim_user_name: mapped.userName,
    scim_external_id: mapped.externalId,
    scim_resource: JSON.stringify(mapped.resource),
    scim_token_id: client.tokenId,
  };
}

function saveContext(
  ctx: ScimContext,
  scope: Pick<WriteScope, 'tx' | 'audit' | 'afterCommit'>,
): SaveContext {
  return {
    tx: scope.tx,
    orgId: ctx.uow.orgId,
    source: 'scim',
    actorLabel: ctx.uow.actor.label,
    onRecorded: notifierOf(ctx.onPersonChanges, scope, ctx.uow.orgId),
  };
}

async function saveOrConflict<T>(userName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (repo.isUserNameTaken(error)) {
      throw new AppError('scim.uniqueness', `userName "${userName}" is already taken`);
    }
    throw error;
  }
}

async function presentUser(
  ctx: ScimContext,
  tx: Tx,
  id: string,
  projection: Projection,
): Promise<JsonObject> {
  const row = await repo.findUser(tx, id);
  if (!row) throw notFound('User', id);
  const groups = isAttributeWanted(projection, userResource, 'groups')
    ? ((await repo.findGroupsOfPeople(tx, [id])).get(id) ?? [])
    : [];
  return projectResource(toScimUser(row, groups, ctx.baseUrl), projection, userResource);
}

const userListing: ResourceListing<repo.ScimUserRow & { total: string }, Groups> = {
  resource: userResource,
  resolveAttribute: repo.resolveUserAttribute,
  sortExpression: repo.userSortExpression,
  countRows: repo.countUsers,
  findPage: repo.findUserPage,
  relatedAttribute: 'groups',
  findRelated: repo.findGroupsOfPeople,
  toResource: (row, groups, baseUrl) => toScimUser(row, groups?.get(row.id) ?? [], baseUrl),
};

/** Users matching a filter, one page (RFC 7644 §3.4.2). */
export function listUsers(
  ctx: ScimContext,
  query: z.output<typeof scimListQuerySchema>,
): Promise<JsonObject> {
  return listResources(ctx, query, userListing);
}

/** One user. */
export async function getUser(
  ctx: ScimContext,
  id: string,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject> {
  if (!isResourceId(id)) throw notFound('User', id);
  const projection = parseProjection(query);
  return ctx.uow.read((tx) => presentUser(ctx, tx, id, projection));
}

/** Record a user's creation (or take-over) and present the user as created. */
async function finishCreate(
  ctx: ScimContext,
  scope: WriteScope,
  mapped: MappedUser,
  adopted: PersonRow | null,
  saved: SavedPerson,
): Promise<JsonObject> {
  await scope.audit({
    action: 'person.created',
    targetType: 'person',
    targetId: saved.row.id,
    changes: {
      userName: mapped.userName,
      ...(adopted ? { adoptedFrom: adopted.source } : {}),
      ...saved.changes,
    },
  });
  // Only SCIM users are group members, so a user just created (or taken over) is in none.
  const managerName = await repo.findDisplayName(scope.tx, saved.row.manager_id);
  return toScimUser({ ...saved.row, manager_name: managerName }, [], ctx.baseUrl);
}

/**
 * A new person, written on the assumption that no one is to be taken over: the lookup for such a
 * person, the insert, its queued change and the audit head lock leave together (with the BEGIN)
 * and are answered in one round trip. When the lookup finds someone after all, the transaction
 * rolls back and the caller takes that person over instead.
 */
async function insertNewUser(
  ctx: ScimContext,
  scope: WriteScope,
  mapped: MappedUser,
  rollBack: () => never,
): Promise<JsonObject> {
  const { tx } = scope;
  // Nothing is locked by the lookup: when it finds someone, this transaction is rolled back and
  // the take-over locks them in a new one.
  const lookingUp = mapped.email ? repo.hasAdoptable(tx, mapped.email) : undefined;
  lookingUp?.catch(() => undefined);
  const fields = await desiredFields(tx, mapped, null);
  const saving = saveOrConflict(mapped.userName, () =>
    savePerson(saveContext(ctx, scope), null, fields, scimColumns(mapped, ctx.client)),
  );
  saving.catch(() => undefined);
  // The insert and its queued change are sent by now, without waiting: the chain head is locked
  // after them, in their round trip.
  scope.lockAuditAhead();
  if (await lookingUp) rollBack();
  return finishCreate(ctx, scope, mapped, null, await saving);
}

/** A new person, or one entered by hand or from CSV whom the identity provider takes over. */
async function insertOrAdoptUser(
  ctx: ScimContext,
  scope: WriteScope,
  mapped: MappedUser,
): Promise<JsonObject> {
  const { tx } = scope;
  const adopted = mapped.email ? ((await repo.findAdoptable(tx, mapped.email)) ?? null) : null;
  const fields = await desiredFields(tx, mapped, adopted);
  const saved = await saveOrConflict(mapped.userName, () =>
    savePerson(saveContext(ctx, scope), adopted, fields, scimColumns(mapped, ctx.client)),
  );
  return finishCreate(ctx, scope, mapped, adopted, saved);
}

/**
 * Create a user: a new person of the directory, or one entered by hand or from CSV with the same
 * work email, whom the identity provider takes over from now on.
 */
export async function createUser(ctx: ScimContext, body: unknown): Promise<JsonObject> {
  const mapped = mapUser(normaliseResource(userResource, body));
  // Rolled back, answering null, when the person turns out to be one to take over.
  const created = await writeIfChanged<JsonObject | null>(ctx.uow, (scope, rolledBack) =>
    insertNewUser(ctx, scope, mapped, () => rolledBack(null)),
  );
  return created ?? ctx.uow.write((scope) => insertOrAdoptUser(ctx, scope, mapped));
}

async function writeUser(
  ctx: ScimContext,
  scope: WriteScope,
  existing: PersonRow,
  mapped: MappedUser,
  unchanged: (result: PersonRow) => never,
): Promise<PersonRow> {
  const { tx, audit } = scope;
  const fields = await desiredFields(tx, mapped, existing);
  const isResourceChanged =
    canonicalJson(existing.scim_resource ?? {}) !== canonicalJson(mapped.resource);
  const isIdentityChanged =
    existing.scim_user_name !== mapped.userName || existing.scim_external_id !== mapped.externalId;
  const before = fieldsOf(existing);
  const isFieldChanged = Object.entries(fields).some(
    ([key, value]) => before[key as keyof PersonFields] !== value,
  );
  if (!isResourceChanged && !isIdentityChanged && !isFieldChanged) unchanged(existing);
  const saved = await saveOrConflict(mapped.userName, () =>
    savePerson(saveContext(ctx, scope), existing, fields, scimColumns(mapped, ctx.client)),
  );
  await audit({
    action: 'person.updated',
    targetType: 'person',
    targetId: existing.id,
    changes: {
      userName: mapped.userName,
      ...(existing.scim_user_name !== mapped.userName
        ? { userNameBefore: existing.scim_user_name }
        : {}),
      ...(isResourceChanged ? { scimAttributesChanged: true } : {}),
      ...saved.changes,
    },
  });
  if (saved.kind === 'deactivated') {
    await audit({
      action: 'person.deactivated',
      targetType: 'person',
      targetId: existing.id,
      changes: { userName: mapped.userName, endDate: saved.row.end_date },
    });
  }
  return saved.row;
}

/** Replace a user (PUT): what the body leaves out is cleared, except `active` and Steward's fields. */
export async function replaceUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject> {
  if (!isResourceId(id)) throw notFound('User', id);
  const projection = parseProjection(query);
  const mapped = mapUser(normaliseResource(userResource, body));
  await writeIfChanged<PersonRow>(ctx.uow, async (scope, unchanged) => {
    const existing = await repo.findUserForUpdate(scope.tx, id);
    if (!existing) throw notFound('User', id);
    return writeUser(ctx, scope, existing, mapped, unchanged);
  });
  return ctx.uow.read((tx) => presentUser(ctx, tx, id, projection));
}

/**
 * Apply a PATCH to a user. Returns the user when the request asked for attributes, else null
 * (204 No Content, RFC 7644 §3.5.2).
 */
export async function patchUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject | null> {
  if (!isResourceId(id)) throw notFound('User', id);
  const projection = parseProjection(query);
  const operations = parsePatchRequest(body);
  await writeIfChanged<PersonRow>(ctx.uow, async (scope, unchanged) => {
    const existing = await repo.findUserForUpdate(scope.tx, id);
    if (!existing) throw notFound('User', id);
    const patched = applyPatch(writableDocument(existing, ctx.baseUrl), operations, userResource);
    const mapped = mapUser(normaliseResource(userResource, patched));
    return writeUser(ctx, scope, existing, mapped, unchanged);
  });
  if (projection.attributes === null && projection.excluded.length === 0) return null;
  return ctx.uow.read((tx) => presentUser(ctx, tx, id, projection));
}

/**
 * Delete a user: the person stays in the directory, departed (their history is evidence), leaves
 * every group, and is no longer visible to SCIM clients; the userName is free again.
 */
export async function deleteUser(ctx: ScimContext, id: string): Promise<void> {
  if (!isResourceId(id)) throw notFound('User', id);
  await ctx.uow.write(async (scope) => {
    const { tx, audit } = scope;
    const existing = await repo.findUserForUpdate(tx, id);
    if (!existing) throw notFound('User', id);
    const before = fieldsOf(existing);
    const today = todayUtc();
    let endDate =
      before.endDate !== null && (before.status === 'departed' || before.endDate <= today)
        ? before.endDate
        : today;
    if (before.startDate && endDate < before.startDate) endDate = before.startDate;
    const groupsLeft = await repo.removeFromAllGroups(tx, id);
    await savePerson(
      saveContext(ctx, scope),
      existing,
      { ...before, status: 'departed', endDate },
      { scim_removed_at: new Date(), scim_token_id: ctx.client.tokenId },
      'removed',
    );
    await audit({
      action: 'person.deactivated',
      targetType: 'person',
      targetId: id,
      changes: {
        userName: existing.scim_user_name,
        removedByIdentityProvider: true,
        statusBefore: before.status,
        endDate,
        groupsLeft,
      },
    });
  });
}
