// Swagger UI at /docs, served from the swagger-ui-dist package on disk (no CDN: pods and
// air-gapped clusters cannot reach one). Only files that exist in the package directory are
// served, by exact name, so a crafted path cannot escape it.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Context } from 'koa';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

// Points the UI at this service's document; relative so it also works behind a path prefix.
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

export function createDocsHandler() {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = new Set(readdirSync(dir).filter((f) => CONTENT_TYPES[extname(f)] !== undefined));
  const cache = new Map<string, Buffer>();
  return async function serveDocs(ctx: Context): Promise<boolean> {
    if (ctx.path === '/docs') {
      ctx.redirect('/docs/');
      return true;
    }
    if (!ctx.path.startsWith('/docs/')) return false;
    const name = ctx.path.slice('/docs/'.length) || 'index.html';
    if (name === 'swagger-initializer.js') {
      ctx.type = CONTENT_TYPES['.js']!;
      ctx.body = INITIALIZER;
      return true;
    }
    if (!files.has(name)) return false;
    let content = cache.get(name);
    if (!content) {
      content = await readFile(join(dir, name));
      cache.set(name, content);
    }
    ctx.type = CONTENT_TYPES[extname(name)]!;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = content;
    return true;
  };
}
