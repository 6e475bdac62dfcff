import {
  isPublicAccess,
  problemSchema,
  type Access,
  type AuditDeclaration,
} from '@steward/contracts';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Actor, AuditWriter } from '../audit/audit-writer.ts';
import { createUnitOfWork } from '../audit/unit-of-work.ts';
import { isAllowed, type Authenticator, type Identity } from '../authz/identity.ts';
import type { Db } from '../db/pools.ts';
import { AppError, RetryLaterError } from '../errors/app-error.ts';
import { classifyError, sendProblem } from './problem.ts';
import type { RouteDefinition } from './routes.ts';
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
  }
}

/** Everything the HTTP layer needs. */
export interface HttpDeps {
  logger: Logger;
  db: Db;
  auditWriter: AuditWriter;
  authenticator: Authenticator;
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

function isRequestFromOurOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  return origin === publicOrigin || (host !== undefined && new URL(origin).host === host);
}

/** Build the Fastify server: platform hooks first, then every module's routes. */
export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  // Fastify's instance type is parameterised by its logger; widen pino to Fastify's logger type.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: deps.trustProxy,
    bodyLimit: deps.bodyLimitBytes,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('identity', null);

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
    return sendProblem(reply, code, detail, errors);
  });

  app.setNotFoundHandler(async (request, reply) => {
    await Promise.resolve();
    return sendProblem(
      reply,
      'route.not_found',
      `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    );
  });

  await app.register(helmet, {
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
      ...(isPublic ? { security: [] } : { security: [{ bearer: [] }, { session: [] }] }),
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body && !e.multipart ? { body: e.body } : {}),
      ...(e.multipart ? { consumes: ['multipart/form-data'] } : {}),
      response: {
        ...(e.produces ? {} : { [successStatus]: e.response }),
        ...e.otherResponses,
        '4xx': problemSchema,
        '5xx': problemSchema,
      },
    },
    handler: async (request, reply) => {
      const identity = request.identity;
      const actor = actorOf(request);
      const uow = identity
        ? createUnitOfWork({
            db: deps.db,
            auditWriter: deps.auditWriter,
            orgId: identity.orgId,
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
        uow,
        actor,
        request,
        reply,
      } as never);
      const audit = e.audit;
      if (typeof audit === 'string' && uow && !uow.recordedActions.includes(audit) && identity) {
        request.log.error({ route: e.path, audit }, 'declared audit event was not recorded');
      }
      // A handler may choose another declared status (health answers 503 when the database is down).
      if (reply.statusCode === 200) reply.status(successStatus);
      return reply.send(result);
    },
  });
}
