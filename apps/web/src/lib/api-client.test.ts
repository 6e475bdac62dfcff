import { endpoints } from '@steward/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, callMultipart, endpointUrl } from './api-client.ts';

const me = {
  user: {
    id: '0e93cca9-9ee3-4a82-b84d-7ad56aa511e6',
    email: 'dee@example.test',
    name: 'Dee',
    role: 'owner',
    status: 'active',
    createdAt: '2026-11-27T01:28:58.967Z',
    lastSignInAt: null,
  },
  org: {
    id: '8006fb2d-527b-49be-a4dd-dbf904aa505c',
    name: 'Example',
    createdAt: '2026-11-27T01:28:58.967Z',
  },
  permissions: ['program.read', 'evidence.submit'],
  authMethod: 'session',
  csrfToken: 'csrf-from-me',
  mfaEnrolmentRequired: false,
};

const evidence = {
  id: '11111111-1111-4111-8111-111111111111',
  lineageId: '11111111-1111-4111-8111-111111111111',
  version: 1,
  isSuperseded: false,
  kind: 'file',
  title: 'Access review',
  description: '',
  fileName: 'review.txt',
  mediaType: 'text/plain',
  sizeBytes: 5,
  sha256: 'a'.repeat(64),
  url: null,
  collectedAt: '2026-11-27T01:28:58.967Z',
  effectiveFrom: '2026-11-27',
  effectiveTo: '2027-11-27',
  suppliedBy: 'dee@example.test',
  taskId: null,
  controls: [],
  createdAt: '2026-11-27T01:28:58.967Z',
  deletedAt: null,
  retainedUntil: '2029-11-26T01:28:58.967Z',
};

function jsonResponse(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('callMultipart', () => {
  it('sends text fields, repeated list items and files last, with the CSRF header', async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(jsonResponse(200, me))
      .mockResolvedValueOnce(jsonResponse(201, evidence));
    vi.stubGlobal('fetch', fetchMock);
    await call(endpoints.me);

    const file = new File(['hello'], 'review.txt', { type: 'text/plain' });
    const added = await callMultipart(endpoints.addEvidence, {
      fields: {
        title: 'Access review',
        description: '',
        controlIds: ['c1', 'c2'],
        taskId: undefined,
        effectiveFrom: '2026-11-27',
      },
      files: { file },
    });

    expect(added.title).toBe('Access review');
    const [url, init] = fetchMock.mock.calls[1] ?? [];
    expect(url).toBe('/api/v1/evidence');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({ 'X-CSRF-Token': 'csrf-from-me' });
    const form = init?.body;
    if (!(form instanceof FormData)) throw new Error('the body is FormData');
    expect([...form.keys()]).toEqual([
      'title',
      'controlIds',
      'controlIds',
      'effectiveFrom',
      'file',
    ]);
    expect(form.getAll('controlIds')).toEqual(['c1', 'c2']);
    expect((form.get('file') as File).name).toBe('review.txt');
  });

  it('turns a problem answer into an ApiError with its field errors', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>().mockResolvedValue(
        jsonResponse(
          400,
          {
            type: 'about:blank',
            title: 'The OSCAL document is not valid',
            status: 400,
            code: 'oscal.invalid',
            detail: 'catalog.json: invalid JSON at line 2',
            errors: [{ path: 'catalog', message: 'catalog.json: invalid JSON at line 2' }],
          },
          'application/problem+json',
        ),
      ),
    );
    const failure = callMultipart(endpoints.importOscalCatalog, {
      fields: { autoMapThreshold: 0 },
      files: { catalog: new File(['{'], 'catalog.json') },
    });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      code: 'oscal.invalid',
      fieldErrors: [{ path: 'catalog', message: 'catalog.json: invalid JSON at line 2' }],
    });
  });

  it('reports a 413 from a proxy as a too-large upload', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn<typeof fetch>()
        .mockResolvedValue(new Response('<html>too large</html>', { status: 413 })),
    );
    await expect(
      callMultipart(endpoints.addEvidence, { fields: { title: 'Big' }, files: { file: null } }),
    ).rejects.toMatchObject({ status: 413, code: 'request.too_large' });
  });
});

describe('endpointUrl', () => {
  it('fills path parameters and drops empty query values', () => {
    expect(
      endpointUrl(endpoints.exportControlsCsv, {
        query: { status: 'failing', section: 3, q: '', asOf: undefined },
      }),
    ).toBe('/api/v1/controls.csv?status=failing&section=3');
    expect(
      endpointUrl(endpoints.downloadEvidence, {
        params: { id: '11111111-1111-4111-8111-111111111111' },
      }),
    ).toBe('/api/v1/evidence/11111111-1111-4111-8111-111111111111/content');
  });
});
