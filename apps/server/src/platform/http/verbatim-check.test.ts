import { auditEventPageSchema, endpoints, type Endpoint } from '@steward/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { sampleAuditEvent } from '../../../test/response-samples.ts';
import { compileVerbatimCheck } from './verbatim-check.ts';

// The promise of a verbatim check: whenever it says yes, zod accepts the value and its output
// written as JSON is exactly the value written as JSON. Every case below asserts that, and the
// verdict expected, so the fast path is proven to be taken where it should be and left where
// zod would change or refuse the value.
function expectVerdict(schema: $ZodType, value: unknown, expected: boolean): void {
  const verdict = compileVerbatimCheck(schema)(value);
  expect(verdict, JSON.stringify(value)).toBe(expected);
  if (verdict) {
    const parsed = z.safeParse(schema, value);
    expect(parsed.success).toBe(true);
    expect(JSON.stringify(parsed.data)).toBe(JSON.stringify(value));
  }
}

// Null where the API may answer null, so both branches of a nullable field are checked.
const event = { ...sampleAuditEvent, targetId: null, userAgent: null };

describe('compileVerbatimCheck', () => {
  it('passes an audit page that has exactly the contract shape', () => {
    expectVerdict(auditEventPageSchema, { items: [event, event], nextBefore: 3 }, true);
    expectVerdict(auditEventPageSchema, { items: [], nextBefore: null }, true);
  });

  it('leaves to zod what zod would refuse or change', () => {
    const page = (item: unknown) => ({ items: [item], nextBefore: null });
    // an extra key (zod strips it), keys out of the shape's order, a missing key
    expectVerdict(auditEventPageSchema, page({ ...event, secret: 'x' }), false);
    const { id, ...withoutId } = event;
    expectVerdict(auditEventPageSchema, page({ ...withoutId, id }), false);
    expectVerdict(auditEventPageSchema, page(withoutId), false);
    // wrong formats and types
    expectVerdict(auditEventPageSchema, page({ ...event, id: 'not-a-uuid' }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, occurredAt: '2026-01-02' }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, seq: 1.5 }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, seq: Number.NaN }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, actorType: 'robot' }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, actorId: undefined }), false);
    expectVerdict(auditEventPageSchema, page({ ...event, changes: [] }), false);
    expectVerdict(auditEventPageSchema, { items: [event], nextBefore: '3' }, false);
    // not plain objects
    const withPrototype: unknown = Object.assign(Object.create({ describe: () => 'event' }), event);
    expectVerdict(auditEventPageSchema, page(withPrototype), false);
    expectVerdict(auditEventPageSchema, page({ ...event, changes: new Map() }), false);
  });

  it('allows optional keys to be absent or undefined, never a required one', () => {
    const schema = z.object({ a: z.string(), b: z.number().optional(), c: z.boolean() });
    expectVerdict(schema, { a: 'x', c: true }, true);
    expectVerdict(schema, { a: 'x', b: 2, c: true }, true);
    expectVerdict(schema, { a: 'x', b: undefined, c: true }, true);
    expectVerdict(schema, { a: 'x', b: 2 }, false);
    expectVerdict(schema, { a: 'x', c: undefined }, false);
    expectVerdict(z.object({ a: z.unknown() }), {}, false);
    expectVerdict(z.object({ a: z.unknown() }), { a: { deep: [1, 'two'] } }, true);
  });

  it('never skips a value held where JSON cannot see it', () => {
    const schema = z.object({ a: z.string(), b: z.string().optional() });
    const hidden = { a: 'x' };
    Object.defineProperty(hidden, 'b', { value: 'hidden', enumerable: false });
    expectVerdict(schema, hidden, false);
    const array = ['a'];
    Object.assign(array, { toJSON: () => 'replaced' });
    expectVerdict(z.array(z.string()), array, false);
    expectVerdict(z.array(z.string()), ['a', 'b'], true);
    // eslint-disable-next-line no-sparse-arrays -- a hole is what is tested
    expectVerdict(z.array(z.string().optional()), ['a', , 'b'], false);
  });

  it('runs the schema checks as zod does, and refuses checks that rewrite the value', () => {
    const bounded = z.string().min(2).max(4);
    expectVerdict(bounded, 'abc', true);
    expectVerdict(bounded, 'a', false);
    expectVerdict(bounded, 'abcde', false);
    const refined = z.number().refine((n) => n % 2 === 0);
    expectVerdict(refined, 4, true);
    expectVerdict(refined, 3, false);
    expectVerdict(z.string().trim(), 'kept', true);
    expectVerdict(z.string().trim(), ' trimmed ', false);
    expectVerdict(z.string().toLowerCase(), 'Upper', false);
    expectVerdict(z.email(), 'someone@example.test', true);
    expectVerdict(z.email(), 'someone', false);
    expectVerdict(z.array(z.number()).min(1), [], false);
    expectVerdict(z.array(z.number()).min(1), [1], true);
  });

  it('checks records key by key', () => {
    const schema = z.record(z.string().min(2), z.number());
    expectVerdict(schema, { ab: 1, cd: 2 }, true);
    expectVerdict(schema, { a: 1 }, false);
    expectVerdict(schema, { ab: 'one' }, false);
    expectVerdict(schema, JSON.parse('{"__proto__": 1}'), false);
    expectVerdict(schema, { ab: 1, [Symbol('s')]: 2 }, false);
    expectVerdict(z.record(z.enum(['a', 'b']), z.number()), { a: 1, b: 2 }, false);
  });

  it('handles nullable, enums, literals and recursion', () => {
    expectVerdict(z.string().nullable(), null, true);
    expectVerdict(z.string().nullable(), undefined, false);
    expectVerdict(z.enum(['a', 'b']), 'a', true);
    expectVerdict(z.enum(['a', 'b']), 'c', false);
    expectVerdict(z.literal(3), 3, true);
    expectVerdict(z.literal(3), 4, false);
    interface Tree {
      name: string;
      children: Tree[];
    }
    const tree: z.ZodType<Tree> = z.object({
      name: z.string(),
      get children() {
        return z.array(tree);
      },
    });
    expectVerdict(tree, { name: 'root', children: [{ name: 'leaf', children: [] }] }, true);
    expectVerdict(tree, { name: 'root', children: [{ name: 'leaf' }] }, false);
  });

  it('keeps the zod path for schemas it does not know', () => {
    expectVerdict(z.union([z.string(), z.number()]), 'a', false);
    expectVerdict(z.date(), new Date(0), false);
    expectVerdict(z.string().default('x'), 'a', false);
    expectVerdict(z.coerce.string(), 'a', false);
    expectVerdict(z.object({ a: z.string() }).strict(), { a: 'x' }, false);
    expectVerdict(z.object({ 1: z.string() }), { 1: 'x' }, false);
  });

  it('compiles the response schemas of every endpoint', () => {
    let compiled = 0;
    for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
      const schemas = [endpoint.response, ...Object.values(endpoint.otherResponses ?? {})];
      for (const schema of schemas) {
        expect(() => compileVerbatimCheck(schema), name).not.toThrow();
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(100);
  });
});
