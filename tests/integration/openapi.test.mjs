// The route table and docs/openapi.yaml describe the same API, and the server serves the spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cli, startServer } from './lib/server.mjs';

const validator = new URL('../../node_modules/@seriousme/openapi-schema-validator', import.meta.url);

test('every route is in the OpenAPI document and every operation is a route', { skip: !existsSync(validator) && 'npm ci has not run' }, async () => {
  const { default: specOperations } = await import('../openapi/paths.mjs');
  const spec = await specOperations();
  const r = cli(['routes']);
  assert.equal(r.status, 0);
  const routes = new Set(r.stdout.trim().split('\n'));
  const missingInSpec = [...routes].filter((x) => !spec.has(x));
  const missingInServer = [...spec].filter((x) => !routes.has(x));
  assert.deepEqual(missingInSpec, [], 'routes the spec does not describe');
  assert.deepEqual(missingInServer, [], 'spec operations the server does not have');
});

test('GET /api/openapi.yaml serves the document', async () => {
  const srv = await startServer();
  try {
    const r = await fetch(`${srv.base}/api/openapi.yaml`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /yaml/);
    assert.match(await r.text(), /^openapi: 3\.1/m);
  } finally {
    await srv.stop();
  }
});
