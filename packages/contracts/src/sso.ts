import { z } from 'zod';
import { emailSchema, okSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import { roleSchema } from './permissions.ts';

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/** How SSO treats people the IdP vouches for who have no Steward account yet. */
export const ssoProvisioningModes = ['jit', 'invite_only'] as const;

/** Minutes an SSO sign-in may take between start and callback. */
export const ssoRequestMinutes = 10;

/**
 * `amr` values (RFC 8176) that count as multi-factor at the IdP; without one of them Steward still
 * asks for its own second factor when the user has one or the policy requires it.
 */
export const ssoMfaAmrValues = ['mfa', 'otp', 'hwk', 'sc'] as const;

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'Enter a domain such as example.com',
  });

/** An org's OpenID Connect configuration; the client secret is never returned, only whether it is set. */
export const ssoConfigSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  isClientSecretSet: z.boolean(),
  isEnabled: z.boolean(),
  provisioning: z.enum(ssoProvisioningModes),
  defaultRole: roleSchema,
  allowedDomains: z.array(z.string()),
  redirectUri: z.string(),
  updatedAt: z.iso.datetime(),
});

/** An SSO configuration. */
export type SsoConfig = z.infer<typeof ssoConfigSchema>;

/** `GET /org/sso`: the configuration, or null before one is saved; `redirectUri` to register at the IdP. */
export const ssoConfigResponseSchema = z.object({
  config: ssoConfigSchema.nullable(),
  redirectUri: z.string(),
});

/** Save the SSO configuration; omit `clientSecret` to keep the stored one. */
export const updateSsoConfigSchema = z.strictObject({
  issuer: z
    .url({ protocol: /^https?$/, error: 'Enter the issuer URL, e.g. https://idp.example.com' })
    .max(500),
  clientId: z.string().trim().min(1, 'Enter the client id').max(500),
  clientSecret: z.string().min(1, 'Enter the client secret').max(2000).optional(),
  isEnabled: z.boolean(),
  provisioning: z.enum(ssoProvisioningModes),
  defaultRole: roleSchema.refine((r) => r !== 'owner', {
    error: 'New SSO users can be at most admin',
  }),
  allowedDomains: z
    .array(domainSchema)
    .max(20)
    .refine((d) => new Set(d).size === d.length, { error: 'List each domain once' }),
});

/** Start an SSO sign-in for an org (its id) or a work email (its domain picks the org). */
export const startSsoSchema = z
  .strictObject({ orgId: z.uuid().optional(), email: emailSchema.optional() })
  .refine((v) => (v.orgId === undefined) !== (v.email === undefined), {
    error: 'Send either orgId or email',
  });

/** Where the browser goes next to sign in at the identity provider. */
export const ssoStartedSchema = z.object({ authorizationUrl: z.string() });

/** What the identity provider sends back to the callback (unknown parameters are ignored). */
export const ssoCallbackQuerySchema = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/** A redirect: the callback always answers with one (to the app, or to sign-in with `sso_error`). */
export const redirectSchema = z.object({ location: z.string() });

/** SSO endpoints: the org's configuration (owners) and the sign-in round trip (public). */
export const ssoEndpoints = {
  getSsoConfig: endpoint({
    method: 'GET',
    path: '/api/v1/org/sso',
    summary: "The organisation's OpenID Connect configuration (without the client secret)",
    tag: 'org',
    access: 'org.manage',
    response: ssoConfigResponseSchema,
  }),
  updateSsoConfig: endpoint({
    method: 'PUT',
    path: '/api/v1/org/sso',
    summary: 'Configure OpenID Connect sign-in (the issuer is checked by discovery)',
    tag: 'org',
    access: 'org.manage',
    audit: 'org.sso_updated',
    body: updateSsoConfigSchema,
    response: ssoConfigResponseSchema,
  }),
  removeSsoConfig: endpoint({
    method: 'DELETE',
    path: '/api/v1/org/sso',
    summary: 'Remove the OpenID Connect configuration (refused while the policy requires SSO)',
    tag: 'org',
    access: 'org.manage',
    audit: 'org.sso_removed',
    response: okSchema,
  }),
  startSso: endpoint({
    method: 'POST',
    path: '/api/v1/auth/sso/start',
    summary: 'Start an SSO sign-in: PKCE, state and nonce are kept server-side for 10 minutes',
    tag: 'auth',
    access: { public: 'this is how a person begins to authenticate with their identity provider' },
    audit: 'auth.sso_started',
    body: startSsoSchema,
    response: ssoStartedSchema,
  }),
  ssoCallback: endpoint({
    method: 'GET',
    path: '/api/v1/auth/sso/callback',
    summary: 'The identity provider returns here; redirects to the app or to sign-in with an error',
    tag: 'auth',
    access: { public: 'the identity provider redirects the browser here with a single-use state' },
    audit: 'auth.signed_in',
    query: ssoCallbackQuerySchema,
    response: redirectSchema,
    otherResponses: { 302: redirectSchema },
  }),
} as const;
