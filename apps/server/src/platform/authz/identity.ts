import {
  rolePermissions,
  type Access,
  type AuthMethod,
  type Permission,
  type Role,
} from '@steward/contracts';
import type { FastifyRequest } from 'fastify';

/** An authenticated caller. */
export interface Identity {
  kind: 'session' | 'token';
  orgId: string;
  userId: string;
  /** The role in force: the user's, or the token's (never above its creator's). */
  role: Role;
  label: string;
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
  /** A session whose user must enrol in MFA before reaching anything but enrolment. */
  mfaEnrolmentRequired: boolean;
  /** How the caller proved who they are: `token`, or the session's sign-in method. */
  authMethod: AuthMethod;
}

/** Resolves the caller of a request from its credentials; null when none are presented. */
export interface Authenticator {
  resolve(request: FastifyRequest): Promise<Identity | null>;
}

/** An identity provider connection calling the SCIM service provider with its own token. */
export interface ScimClient {
  orgId: string;
  tokenId: string;
  /** The connection's name, e.g. "Okta production". */
  name: string;
}

/** Resolves the connection of a SCIM request from its bearer token; null when it is not valid. */
export interface ScimAuthenticator {
  resolve(request: FastifyRequest): Promise<ScimClient | null>;
}

/** Effective permissions of an identity. */
export function permissionsOf(identity: Identity): readonly Permission[] {
  return rolePermissions[identity.role];
}

/** Whether an identity may call an endpoint with the given access declaration. */
export function isAllowed(identity: Identity | null, access: Access): boolean {
  if (typeof access === 'object') return true;
  // SCIM routes are reached with an identity provider's token only, never a user's credential.
  if (!identity || access === 'scim') return false;
  if (access === 'authenticated') return true;
  return permissionsOf(identity).includes(access);
}
