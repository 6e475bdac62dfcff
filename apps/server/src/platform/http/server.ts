import {
  isPublicAccess,
  isScimAccess,
  problemSchema,
  scimBasePath,
  scimErrorSchema,
  type Access,
  type AuditDeclaration,
} from '@steward/contracts';
import cookie from '@fastify/cookie';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeader } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import {
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { createRequestLogger } from './request-logger.ts';
import type { Actor, AuditWriter } from '../audit/audit-writer.ts';
import { createUnitOfWork } from '../audit/unit-of-work.ts';
import {
  isAllowed,
  type Authenticator,
  type Identity,
  type ScimAuthenticator,
  type ScimClient,
} from '../authz/identity.ts';
import type { Db } from '../db/pools.ts';
import { AppError, RetryLaterError } from '../errors/app-error.ts';
import { classifyError, sendProblem } from './problem.ts';
import type { RouteDefinition } from './routes.ts';
import { sendScimProblem } from './scim-problem.ts';
import { responseSerializerCompiler } from './serializer.ts';
import { registerWebUi } from './web.ts';

/** The declaration every route carries: who may call it and what it audits. */
export interface RouteDeclaration {
  access: Access;
  audit?: AuditDeclaration;
  /** Reachable by a session that must enrol in MFA first. */
  duringMfaEnrolment?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    steward?: RouteDeclaration;
  }
  interface FastifyRequest {
    identity: Identity | null;
    /** The identity provider connection of a SCIM request. */
    scimClient: ScimClient | null;
  }
}

/** Everything the HTTP layer needs. */
export interface HttpDeps {
  logger: Logger;
  db: Db;
  auditWriter: AuditWriter;
  authenticator: Authenticator;
  /** Resolves the bearer tokens of identity provider connections on SCIM routes. */
  scimAuthenticator: ScimAuthenticator;
  routes: RouteDefinition[];
  publicOrigin: string;
  isHttps: boolean;
  trustProxy: boolean;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  authRateLimitPerMinute: number;
  webDir: string | undefined;
  version: string;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A registered route and its declaration, as the registry test walks them. */
export interface RegisteredRoute {
  method: string;
  url: string;
  declaration: RouteDeclaration | undefined;
}

const routeTables = new WeakMap<
  object,
  { method: string | string[]; url: string; config?: { steward?: RouteDeclaration } }[]
>();

/** Every route registered on a server built by createHttpServer, with its declaration. */
export function listRoutes(app: FastifyInstance): RegisteredRoute[] {
  return (routeTables.get(app) ?? []).flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      url: route.url,
      declaration: route.config?.steward,
    })),
  );
}

/** The actor of a request for the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  const scimClient = request.scimClient;
  if (scimClient) {
    return {
      type: 'token',
      id: scimClient.tokenId,
      label: `scim:${scimClient.name}`,
      authMethod: 'scim_token',
      requestId: request.id,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
  }
  const identity = request.identity;
  return {
    type: identity ? (identity.kind === 'token' ? 'token' : 'user') : 'anonymous',
    id: identity ? (identity.kind === 'token' ? identity.tokenId : identity.userId) : null,
    label: identity?.label ?? null,
    authMethod: identity?.authMethod ?? 'none',
    requestId: request.id,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

function isScimRoute(request: FastifyRequest): boolean {
  const access = request.routeOptions.config.steward?.access;
  return access !== undefined && isScimAccess(access);
}

function isRequestFromOurOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  return origin === publicOrigin || (host !== undefined && new URL(origin).host === host);
}

/**
 * The headers @fastify/helmet sets for these options. The plugin builds helmet's middleware anew
 * on every request (parsing the CSP directives each time); the options are fixed, so the headers
 * are taken once from a probe server and set on each reply as they are.
 */
async function helmetHeaders(
  options: FastifyHelmetOptions,
): Promise<[string, OutgoingHttpHeader][]> {
  const probe = Fastify();
  let headers: [string, OutgoingHttpHeader][] = [];
  await probe.register(helmet, options);
  probe.get('/', (_request, reply) => {
    headers = Object.entries(reply.raw.getHeaders()).filter(
      (entry): entry is [string, OutgoingHttpHeader] => entry[1] !== undefined,
    );
    return reply.send('');
  });
  await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  if (!headers.some(([name]) => name === 'content-security-policy')) {
    throw new Error('helmet set no Content-Security-Policy');
  }
  return headers;
}

/** Build the Fastify server: platform hooks first, then every module's routes. */
export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  // Fastify's instance type is parameterised by its logger; widen pino to Fastify's logger type.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    genReqId: () => randomUUID(),
    // Requests get a child of the server's logger (with Fastify's serializers) only when they log.
    childLoggerFactory: (logger, bindings, options) =>
      createRequestLogger(logger, bindings, options),
    requestIdHeader: false,
    trustProxy: deps.trustProxy,
    bodyLimit: deps.bodyLimitBytes,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('identity', null);
  app.decorateRequest('scimClient', null);
  // SCIM clients send application/scim+json (RFC 7644 §3.1), which is JSON; it is accepted on
  // SCIM routes only. Identity providers also send a JSON content type with an empty DELETE body,
  // which SCIM routes take as no body rather than as malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const jsonParser = (scimOnly: boolean) =>
    ((request, body, done) => {
      const isScim = isScimRoute(request);
      if (scimOnly && !isScim) {
        done(Object.assign(new Error('Send the body as application/json'), { statusCode: 415 }));
      } else if (isScim && body === '') {
        done(null, undefined);
      } else {
        void parseJson(request, body, done);
      }
    }) satisfies Parameters<typeof app.addContentTypeParser<string>>[2];
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser(false));
  app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, jsonParser(true));

  const table: {
    method: string | string[];
    url: string;
    config?: { steward?: RouteDeclaration };
  }[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    table.push(route);
    // Documentation and static assets are public by design; everything else must declare itself.
    if (route.url.startsWith('/api/docs') && !route.config?.steward) {
      route.config = { ...route.config, steward: { access: { public: 'API documentation' } } };
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const { code, detail, errors } = classifyError(error as Error);
    if (error instanceof RetryLaterError) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    if (code === 'internal' || code === 'audit.event_not_recorded') {
      request.log.error({ err: error }, 'request failed');
    }
    if (isScimRoute(request)) return sendScimProblem(reply, code, detail);
    return sendProblem(reply, code, detail, errors);
  });

  app.setNotFoundHandler(async (request, reply) => {
    await Promise.resolve();
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith(`${scimBasePath}/`)) {
      return sendScimProblem(reply, 'scim.not_found', `No SCIM endpoint ${request.method} ${path}`);
    }
    return sendProblem(reply, 'route.not_found', `No route ${request.method} ${path}`);
  });

  const securityHeaders = await helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: deps.isHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(cookie);
  // Files are streamed by the handlers that accept them (readMultipart); nothing is buffered here.
  await app.register(multipart, { throwFileSizeLimit: true });
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => {
      const error = new Error(
        `Rate limit of ${context.max} requests per ${context.after} exceeded`,
      );
      Object.assign(error, { statusCode: 429 });
      return error;
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: deps.version,
        description: 'Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (stw_...)' },
          session: { type: 'apiKey', in: 'cookie', name: 'steward_session' },
          scim: {
            type: 'http',
            scheme: 'bearer',
            description: 'SCIM token of an identity provider connection',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (request, reply) => {
    const declaration = request.routeOptions.config.steward;
    if (!declaration) {
      if (request.is404) return;
      request.log.error({ url: request.url }, 'route has no access declaration; refused');
      return sendProblem(reply, 'auth.forbidden');
    }
    if (isScimAccess(declaration.access)) {
      // Bearer tokens only and no cookies, so there is no cross-site request to guard against.
      request.scimClient = await deps.scimAuthenticator.resolve(request);
      if (!request.scimClient) {
        return sendScimProblem(
          reply,
          'auth.unauthenticated',
          'Send the SCIM token of an identity provider connection as a bearer token',
        );
      }
      return;
    }
    request.identity = await deps.authenticator.resolve(request);
    if (!isAllowed(request.identity, declaration.access)) {
      return request.identity
        ? sendProblem(
            reply,
            'auth.forbidden',
            typeof declaration.access === 'string'
              ? `This needs the ${declaration.access} permission`
              : undefined,
          )
        : sendProblem(reply, 'auth.unauthenticated');
    }
    if (
      request.identity?.mfaEnrolmentRequired &&
      !declaration.duringMfaEnrolment &&
      !isPublicAccess(declaration.access)
    ) {
      return sendProblem(reply, 'auth.mfa_enrolment_required');
    }
    if (safeMethods.has(request.method)) return;
    if (!isRequestFromOurOrigin(request, deps.publicOrigin)) {
      return sendProblem(reply, 'request.csrf_failed', 'The request comes from another origin');
    }
    const identity = request.identity;
    if (identity?.kind === 'session') {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== identity.csrfToken) {
        return sendProblem(
          reply,
          'request.csrf_failed',
          'Send the X-CSRF-Token header from /api/v1/me',
        );
      }
    }
  });

  app.get(
    '/api/openapi.json',
    {
      config: { steward: { access: { public: 'the API description is not secret' } } },
      schema: { hide: true },
    },
    async () => {
      await app.ready();
      return app.swagger();
    },
  );

  for (const route of deps.routes) registerRoute(app, route, deps);
  await registerWebUi(app, deps.webDir);
  return app;
}

function registerRoute(app: FastifyInstance, route: RouteDefinition, deps: HttpDeps): void {
  const e = route.endpoint;
  const isPublic = isPublicAccess(e.access);
  const isScim = isScimAccess(e.access);
  const errorSchema = isScim ? scimErrorSchema : problemSchema;
  const successStatus = e.successStatus ?? 200;
  const declaration: RouteDeclaration = {
    access: e.access,
    ...(e.audit ? { audit: e.audit } : {}),
    ...(e.duringMfaEnrolment ? { duringMfaEnrolment: true } : {}),
  };
  const isAuthRoute = e.tag === 'auth' || e.tag === 'setup';
  app.route({
    method: e.method,
    url: e.path,
    config: {
      steward: declaration,
      ...(isAuthRoute && e.method !== 'GET'
        ? { rateLimit: { max: deps.authRateLimitPerMinute, timeWindow: '1 minute' } }
        : {}),
    },
    schema: {
      summary: e.summary,
      tags: [e.tag],
      ...(isPublic
        ? { security: [] }
        : { security: isScim ? [{ scim: [] }] : [{ bearer: [] }, { session: [] }] }),
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body && !e.multipart ? { body: e.body } : {}),
      ...(e.multipart ? { consumes: ['multipart/form-data'] } : {}),
      response: {
        ...(e.produces ? {} : { [successStatus]: e.response }),
        ...e.otherResponses,
        '4xx': errorSchema,
        '5xx': errorSchema,
      },
    },
    handler: async (request, reply) => {
      const identity = request.identity;
      const scimClient = request.scimClient;
      const actor = actorOf(request);
      const orgId = identity?.orgId ?? scimClient?.orgId;
      const uow = orgId
        ? createUnitOfWork({
            db: deps.db,
            auditWriter: deps.auditWriter,
            orgId,
            actor,
            onAfterCommitError: (error) =>
              request.log.error({ err: error }, 'after-commit task failed'),
          })
        : null;
      if (!isPublic && !uow) throw new AppError('auth.unauthenticated');
      const result = await route.handler({
        body: request.body,
        params: request.params,
        query: request.query,
        identity,
        scimClient,
        uow,
        actor,
        request,
        reply,
      } as never);
      const audit = e.audit;
      // A write always records some event (the unit of work refuses to commit otherwise), so a
      // write that recorded events but not the declared one is a declaration out of date. A
      // request that changed nothing (a preview, a SCIM replace with the same values) records none.
      if (
        typeof audit === 'string' &&
        uow &&
        uow.recordedActions.length > 0 &&
        !uow.recordedActions.includes(audit)
      ) {
        request.log.error({ route: e.path, audit }, 'declared audit event was not recorded');
      }
      // A handler may choose another declared status (health answers 503 when the database is down).
      if (reply.statusCode === 200) reply.status(successStatus);
      return reply.send(result);
    },
  });
}
