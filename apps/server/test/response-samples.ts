/** An audit event exactly as the API answers it, for tests of response checking. */
export const sampleAuditEvent = {
  id: '7d8f6a52-3a1e-4c55-9a41-0e6f6f0c1a01',
  seq: 7,
  occurredAt: '2026-01-02T03:04:05.678Z',
  actorType: 'user',
  actorId: 'a1',
  actorLabel: 'owner@acme.test',
  authMethod: 'session',
  action: 'user.created',
  targetType: 'user',
  targetId: 't1',
  requestId: 'req-1',
  ip: '192.0.2.10',
  userAgent: 'Mozilla/5.0',
  changes: { role: 'contributor', nested: { b: 1, a: [1, 2] } },
  hash: 'f'.repeat(64),
};
