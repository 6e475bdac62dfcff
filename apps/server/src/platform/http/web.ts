import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scimBasePath } from '@steward/contracts';
import { sendProblem } from './problem.ts';
import { sendScimProblem } from './scim-problem.ts';

/** Where the built web UI lives unless configured otherwise. */
export const defaultWebDir = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Steward</title></head>
<body><main><h1>Steward</h1><p>The web interface has not been built. Run <code>npm run build</code>
and restart, or use the API at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

/**
 * Serve the single-page web UI: hashed assets with long caching, and index.html for every other
 * GET outside /api so client-side routes load on refresh.
 */
export async function registerWebUi(
  app: FastifyInstance,
  webDir: string | undefined,
): Promise<void> {
  const root = path.resolve(webDir ?? defaultWebDir);
  const indexFile = path.join(root, 'index.html');
  const hasBuild = existsSync(indexFile);
  const publicDeclaration = {
    access: { public: 'the web UI is static and holds no data' },
  } as const;

  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, steward: publicDeclaration };
    });
    if (hasBuild) {
      await scope.register(fastifyStatic, {
        root,
        wildcard: false,
        index: false,
        serve: true,
        setHeaders: (res, filePath) => {
          const isHashedAsset = filePath.includes(`${path.sep}assets${path.sep}`);
          res.setHeader(
            'cache-control',
            isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    }
    const html = hasBuild ? await readFile(indexFile, 'utf8') : notBuiltPage;
    scope.get('/*', { schema: { hide: true } }, async (request, reply) => {
      await Promise.resolve();
      if (request.url.startsWith(`${scimBasePath}/`)) {
        const path = request.url.split('?')[0] ?? '';
        return sendScimProblem(reply, 'scim.not_found', `No SCIM endpoint GET ${path}`);
      }
      if (request.url.startsWith('/api/') || request.url === '/api') {
        return sendProblem(
          reply,
          'route.not_found',
          `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        );
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    });
  });
}
