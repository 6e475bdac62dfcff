import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { splitAcknowledgement } from './webhook-delivery.service.ts';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"type":"support_access.grant"}';

  it('signs "<t>.<body>" with HMAC-SHA256 in hex', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies a fresh signature and refuses tampering, other secrets and stale timestamps', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    expect(verifyWebhookSignature(secret, body, header, 1_700_000_010)).toBe(true);
    expect(verifyWebhookSignature(secret, `${body} `, header, 1_700_000_010)).toBe(false);
    expect(verifyWebhookSignature('another-secret-value', body, header, 1_700_000_010)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 1_700_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 't=abc,v1=zz', 1_700_000_000)).toBe(false);
  });
});

describe('webhook acknowledgements', () => {
  it('keeps the answer without the credential it carried', () => {
    const split = splitAcknowledgement(
      JSON.stringify({ ok: true, credential: { username: 'u', password: 'p4ss' } }),
    );
    expect(split.credential).toEqual({ username: 'u', password: 'p4ss' });
    expect(split.stored).not.toContain('p4ss');
    expect(JSON.parse(split.stored)).toEqual({ ok: true, credential: '[sealed]' });
  });

  it('stores plain answers as they are, trimmed', () => {
    expect(splitAcknowledgement('accepted')).toEqual({ stored: 'accepted', credential: null });
    expect(splitAcknowledgement('x'.repeat(5000)).stored).toHaveLength(4000);
  });
});
