import type { Endpoint, ResponseOf } from '@steward/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../audit/audit-writer.ts';
import type { UnitOfWork } from '../audit/unit-of-work.ts';
import type { Identity, ScimClient } from '../authz/identity.ts';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route handler receives: parsed input, the caller, and an org-scoped unit of work. */
export interface HandlerContext<E extends Endpoint> {
  body: Parsed<E['body']>;
  params: Parsed<E['params']>;
  query: Parsed<E['query']>;
  /** The caller; null only on public and SCIM endpoints. */
  identity: E['access'] extends { public: string } | 'scim' ? Identity | null : Identity;
  /** The identity provider connection calling a SCIM endpoint; null elsewhere. */
  scimClient: E['access'] extends 'scim' ? ScimClient : null;
  /** A unit of work for the caller's org; null only on public endpoints without a caller. */
  uow: E['access'] extends { public: string } ? UnitOfWork | null : UnitOfWork;
  /** The actor as the audit log records it. */
  actor: Actor;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** A route: an endpoint from contracts and the handler that serves it. */
export interface RouteDefinition<E extends Endpoint = Endpoint> {
  endpoint: E;
  handler: (ctx: HandlerContext<E>) => Promise<ResponseOf<E>>;
}

/** Declare a route for an endpoint of the contracts. */
export function defineRoute<E extends Endpoint>(
  endpoint: E,
  handler: (ctx: HandlerContext<E>) => Promise<ResponseOf<E>>,
): RouteDefinition {
  return { endpoint, handler };
}
