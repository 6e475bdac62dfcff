import { z } from 'zod';
import type { AuditAction } from './audit.ts';
import { auditEventPageSchema, auditEventQuerySchema, auditPublicKeySchema } from './audit.ts';
import { setupSchema, setupStatusSchema, signInSchema } from './auth.ts';
import { healthSchema, idParamsSchema, okSchema } from './common.ts';
import {
  acceptInvitationSchema,
  createInvitationSchema,
  invitationListSchema,
  invitationSchema,
} from './invitations.ts';
import {
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  passwordResetRequestedSchema,
} from './password-reset.ts';
import { signInResultSchema } from './mfa.ts';
import { passkeyEndpoints } from './passkey-endpoints.ts';
import { findingsEndpoints } from './findings-endpoints.ts';
import { peopleEndpoints, scimEndpoints } from './people-endpoints.ts';
import { policiesEndpoints } from './policies.ts';
import { trainingEndpoints } from './training-endpoints.ts';
import { managementReviewEndpoints } from './management-review-endpoints.ts';
import { screeningEndpoints } from './screening-endpoints.ts';
import { risksEndpoints } from './risks-endpoints.ts';
import { lifecycleEndpoints } from './lifecycle.ts';
import { accessReviewEndpoints } from './access-reviews.ts';
import { programEndpoints } from './program-endpoints.ts';
import type { Permission } from './permissions.ts';
import { securityEndpoints } from './security-endpoints.ts';
import { ssoEndpoints } from './sso.ts';
import { systemsEndpoints } from './systems-endpoints.ts';
import { supportAccessEndpoints } from './support-access-endpoints.ts';
import { revokedSessionsSchema, sessionListSchema, sessionSchema } from './sessions.ts';
import {
  apiTokenListSchema,
  apiTokenSchema,
  createTokenSchema,
  createdTokenSchema,
} from './tokens.ts';
import {
  createUserSchema,
  meSchema,
  roleListSchema,
  updateUserSchema,
  userListSchema,
  userSchema,
} from './users.ts';

/** HTTP methods used by the API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: a permission, any signed-in identity (`authenticated`), an identity
 * provider with the SCIM token of its connection (`scim`, never a user's credential), or anyone
 * (`{ public: reason }`).
 */
export type Access = Permission | 'authenticated' | 'scim' | { public: string };

/** What a writing endpoint records in the audit log, or why it records nothing. */
export type AuditDeclaration = AuditAction | { none: string };

/** One API endpoint: the single declaration shared by server, web and CLI. */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  audit?: AuditDeclaration;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  successStatus?: 200 | 201 | 202 | 204;
  /** Other statuses that answer with a body of their own instead of a problem. */
  otherResponses?: Record<number, z.ZodType>;
  /** Reachable by a session that must enrol in MFA before it may do anything else. */
  duringMfaEnrolment?: boolean;
  /**
   * The body is `multipart/form-data`: `body` describes its text fields and `files` names the
   * file fields, which the handler streams to storage instead of buffering.
   */
  multipart?: { files: readonly string[] };
  /** The success response is this media type (CSV, a stored file) rather than JSON. */
  produces?: string;
}

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/** Every endpoint of the foundation, keyed by a stable name. */
export const endpoints = {
  health: endpoint({
    method: 'GET',
    path: '/api/health',
    summary: 'Liveness and database health',
    tag: 'system',
    access: { public: 'load balancers and monitors probe it without credentials' },
    response: healthSchema,
    otherResponses: { 503: healthSchema },
  }),
  setupStatus: endpoint({
    method: 'GET',
    path: '/api/v1/setup',
    summary: 'Whether first-run setup has happened',
    tag: 'setup',
    access: { public: 'the first-run page needs it before any account exists' },
    response: setupStatusSchema,
  }),
  setup: endpoint({
    method: 'POST',
    path: '/api/v1/setup',
    summary: 'Create the organisation and its owner (first run only)',
    tag: 'setup',
    access: { public: 'no account exists yet; refused once set up' },
    audit: 'org.created',
    body: setupSchema,
    response: meSchema,
    successStatus: 201,
  }),
  signIn: endpoint({
    method: 'POST',
    path: '/api/v1/auth/sign-in',
    summary: 'Sign in with email and password',
    tag: 'auth',
    access: { public: 'this is how a person becomes authenticated' },
    audit: 'auth.signed_in',
    body: signInSchema,
    response: signInResultSchema,
  }),
  signOut: endpoint({
    method: 'POST',
    path: '/api/v1/auth/sign-out',
    summary: 'End the current session',
    tag: 'auth',
    access: 'authenticated',
    audit: 'auth.signed_out',
    duringMfaEnrolment: true,
    response: okSchema,
  }),
  me: endpoint({
    method: 'GET',
    path: '/api/v1/me',
    summary: 'The caller, their organisation and effective permissions',
    tag: 'auth',
    access: 'authenticated',
    duringMfaEnrolment: true,
    response: meSchema,
  }),
  listRoles: endpoint({
    method: 'GET',
    path: '/api/v1/roles',
    summary: 'Built-in roles and their permissions',
    tag: 'users',
    access: 'users.read',
    response: roleListSchema,
  }),
  listUsers: endpoint({
    method: 'GET',
    path: '/api/v1/users',
    summary: 'List users',
    tag: 'users',
    access: 'users.read',
    response: userListSchema,
  }),
  createUser: endpoint({
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Create a user',
    tag: 'users',
    access: 'users.manage',
    audit: 'user.created',
    body: createUserSchema,
    response: userSchema,
    successStatus: 201,
  }),
  getUser: endpoint({
    method: 'GET',
    path: '/api/v1/users/:id',
    summary: 'Get one user',
    tag: 'users',
    access: 'users.read',
    params: idParamsSchema,
    response: userSchema,
  }),
  updateUser: endpoint({
    method: 'PATCH',
    path: '/api/v1/users/:id',
    summary: "Change a user's name, role or status",
    tag: 'users',
    access: 'users.manage',
    audit: 'user.updated',
    params: idParamsSchema,
    body: updateUserSchema,
    response: userSchema,
  }),
  listTokens: endpoint({
    method: 'GET',
    path: '/api/v1/tokens',
    summary: 'List your API tokens',
    tag: 'tokens',
    access: 'tokens.create',
    response: apiTokenListSchema,
  }),
  createToken: endpoint({
    method: 'POST',
    path: '/api/v1/tokens',
    summary: 'Create an API token for yourself (the secret is shown once)',
    tag: 'tokens',
    access: 'tokens.create',
    audit: 'token.created',
    body: createTokenSchema,
    response: createdTokenSchema,
    successStatus: 201,
  }),
  revokeToken: endpoint({
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    summary: 'Revoke one of your API tokens',
    tag: 'tokens',
    access: 'tokens.create',
    audit: 'token.revoked',
    params: idParamsSchema,
    response: apiTokenSchema,
  }),
  listAuditEvents: endpoint({
    method: 'GET',
    path: '/api/v1/audit-events',
    summary: 'Search the audit log, newest first',
    tag: 'audit',
    access: 'audit.read',
    query: auditEventQuerySchema,
    response: auditEventPageSchema,
  }),
  auditPublicKey: endpoint({
    method: 'GET',
    path: '/api/v1/audit/public-key',
    summary: 'The public key that verifies audit checkpoints',
    tag: 'audit',
    access: 'audit.read',
    response: auditPublicKeySchema,
  }),
  requestPasswordReset: endpoint({
    method: 'POST',
    path: '/api/v1/auth/password-reset',
    summary: 'Email a password reset link (same answer whether or not the account exists)',
    tag: 'auth',
    access: { public: 'people who forgot their password cannot sign in to ask' },
    audit: 'auth.password_reset_requested',
    body: passwordResetRequestSchema,
    response: passwordResetRequestedSchema,
    successStatus: 202,
  }),
  confirmPasswordReset: endpoint({
    method: 'POST',
    path: '/api/v1/auth/password-reset/confirm',
    summary: 'Set a new password with the emailed token; ends every session of the account',
    tag: 'auth',
    access: { public: 'the emailed single-use token is the credential' },
    audit: 'auth.password_reset',
    body: passwordResetConfirmSchema,
    response: okSchema,
  }),
  listInvitations: endpoint({
    method: 'GET',
    path: '/api/v1/invitations',
    summary: 'Pending invitations',
    tag: 'users',
    access: 'users.manage',
    response: invitationListSchema,
  }),
  createInvitation: endpoint({
    method: 'POST',
    path: '/api/v1/invitations',
    summary: 'Invite a person by email (inviting again replaces the link)',
    tag: 'users',
    access: 'users.manage',
    audit: 'user.invited',
    body: createInvitationSchema,
    response: invitationSchema,
    successStatus: 201,
  }),
  revokeInvitation: endpoint({
    method: 'DELETE',
    path: '/api/v1/invitations/:id',
    summary: 'Revoke a pending invitation; the invited account is disabled',
    tag: 'users',
    access: 'users.manage',
    audit: 'user.invitation_revoked',
    params: idParamsSchema,
    response: okSchema,
  }),
  acceptInvitation: endpoint({
    method: 'POST',
    path: '/api/v1/invitations/accept',
    summary: 'Accept an invitation: choose a password and sign in',
    // Tagged auth so the sign-in rate limit applies: the token is a credential.
    tag: 'auth',
    access: { public: 'the emailed single-use token is the credential' },
    audit: 'user.invitation_accepted',
    body: acceptInvitationSchema,
    response: meSchema,
  }),
  listSessions: endpoint({
    method: 'GET',
    path: '/api/v1/sessions',
    summary: 'Your sign-in sessions',
    tag: 'sessions',
    access: 'authenticated',
    response: sessionListSchema,
  }),
  revokeSession: endpoint({
    method: 'DELETE',
    path: '/api/v1/sessions/:id',
    summary: 'Sign out one of your sessions',
    tag: 'sessions',
    access: 'authenticated',
    audit: 'session.revoked',
    params: idParamsSchema,
    response: sessionSchema,
  }),
  revokeUserSessions: endpoint({
    method: 'DELETE',
    path: '/api/v1/users/:id/sessions',
    summary: 'Sign a user out everywhere',
    tag: 'users',
    access: 'users.manage',
    audit: 'user.sessions_revoked',
    params: idParamsSchema,
    response: revokedSessionsSchema,
  }),
  ...securityEndpoints,
  ...ssoEndpoints,
  ...passkeyEndpoints,
  ...programEndpoints,
  ...findingsEndpoints,
  ...peopleEndpoints,
  ...scimEndpoints,
  ...policiesEndpoints,
  ...managementReviewEndpoints,
  ...screeningEndpoints,
  ...risksEndpoints,
  ...lifecycleEndpoints,
  ...systemsEndpoints,
  ...trainingEndpoints,
  ...accessReviewEndpoints,
  ...supportAccessEndpoints,
} as const;

/** The endpoint catalogue. */
export type Endpoints = typeof endpoints;

/** Name of an endpoint. */
export type EndpointName = keyof Endpoints;

/** Whether an endpoint is public (no authentication). */
export function isPublicAccess(access: Access): access is { public: string } {
  return typeof access === 'object';
}

/** Whether an endpoint is part of the SCIM service provider (SCIM tokens, SCIM error bodies). */
export function isScimAccess(access: Access): access is 'scim' {
  return access === 'scim';
}

/** The body type an endpoint accepts. */
export type BodyOf<E extends Endpoint> = E['body'] extends z.ZodType ? z.input<E['body']> : never;

/** The response type an endpoint returns. */
export type ResponseOf<E extends Endpoint> = z.output<E['response']>;

/** The query type an endpoint accepts. */
export type QueryOf<E extends Endpoint> = E['query'] extends z.ZodType
  ? z.input<E['query']>
  : never;
