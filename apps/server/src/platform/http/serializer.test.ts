import { auditEventPageSchema, meSchema } from '@steward/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleAuditEvent } from '../../../test/response-samples.ts';
import { isSymmetric, markSharedResponse, responseSerializerCompiler } from './serializer.ts';

function serializerFor(schema: z.ZodType) {
  return responseSerializerCompiler({ schema, method: 'GET', url: '/test', httpStatus: '200' });
}

const event = sampleAuditEvent;

const me = {
  user: {
    id: '7d8f6a52-3a1e-4c55-9a41-0e6f6f0c1a01',
    email: 'owner@acme.test',
    name: 'Owner',
    role: 'owner',
    status: 'active',
    createdAt: '2026-01-02T03:04:05.678Z',
    lastSignInAt: null,
  },
  org: {
    id: '0b5e3c1d-1111-4222-8333-944455556666',
    name: 'Acme',
    createdAt: '2026-01-02T03:04:05.678Z',
  },
  permissions: ['org.read'],
  authMethod: 'token',
  csrfToken: null,
  mfaEnrolmentRequired: false,
};

describe('responseSerializerCompiler', () => {
  it('writes what zod encoding gives, unknown keys stripped', () => {
    for (const [schema, value] of [
      [auditEventPageSchema, { items: [event, { ...event, extra: 'dropped' }], nextBefore: 3 }],
      [meSchema, { ...me, secret: 'not for the client' }],
    ] as const) {
      const text = serializerFor(schema)(value);
      expect(text).toBe(JSON.stringify(z.encode(schema, value as never)));
      expect(text).not.toContain('dropped');
      expect(text).not.toContain('not for the client');
    }
  });

  it('validates and writes a shared value once per route, the same text each time', () => {
    const shared = { ...me, secret: 'not for the client' };
    markSharedResponse(shared);
    const write = serializerFor(meSchema);
    const text = write(shared);
    expect(text).toBe(JSON.stringify(z.encode(meSchema, me as never)));
    // Shared values are never changed; the text is kept with the value, not recomputed.
    shared.csrfToken = 'changed' as never;
    expect(write(shared)).toBe(text);
    // A value not marked shared is written from what it holds now.
    const own = { ...me };
    expect(write(own)).toBe(text);
    own.csrfToken = 'changed' as never;
    expect(write(own)).toContain('changed');
    // Another route validates with its own schema.
    expect(() => serializerFor(auditEventPageSchema)(shared)).toThrow();
  });

  it('refuses a response that does not match its schema', () => {
    const page = serializerFor(auditEventPageSchema);
    expect(() => page({ items: [{ ...event, id: 'not-a-uuid' }], nextBefore: null })).toThrow(
      "Response doesn't match the schema",
    );
    expect(() => page({ items: [{ ...event, seq: 1.5 }], nextBefore: null })).toThrow();
    expect(() => serializerFor(meSchema)({ ...me, permissions: ['no.such'] })).toThrow();
  });

  it('takes the single forward pass for plain response schemas', () => {
    expect(isSymmetric(auditEventPageSchema)).toBe(true);
    expect(isSymmetric(meSchema)).toBe(true);
    expect(isSymmetric(z.object({ a: z.string().default('x') }))).toBe(false);
    expect(isSymmetric(z.object({ a: z.array(z.string().transform((s) => s)) }))).toBe(false);
  });

  it('keeps encoding for schemas that behave differently when encoding', () => {
    const codec = z.object({
      at: z.codec(z.iso.datetime(), z.date(), {
        decode: (text) => new Date(text),
        encode: (date) => date.toISOString(),
      }),
    });
    expect(serializerFor(codec)({ at: new Date('2026-01-02T03:04:05.678Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.678Z"}',
    );
    const transformed = z.object({ name: z.string().transform((s) => s.toUpperCase()) });
    expect(() => serializerFor(transformed)({ name: 'x' })).toThrow();
  });
});
