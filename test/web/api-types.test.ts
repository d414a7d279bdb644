/**
 * The web app's typed client is generated from the server's OpenAPI document: this fails when a route or a
 * schema changed without `npm run api:types` (so the app never compiles against an API that is gone).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { apiDocument } from '../../src/server/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('web/src/api/schema.d.ts is what openapi-typescript makes of GET /api/openapi.json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-openapi-'));
  try {
    const doc = join(dir, 'openapi.json');
    await writeFile(doc, JSON.stringify(await apiDocument(), null, 2));
    const out = join(dir, 'schema.d.ts');
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), doc, '-o', out]);
    const fresh = await readFile(out, 'utf8');
    const committed = await readFile(join(root, 'web/src/api/schema.d.ts'), 'utf8');
    assert.ok(fresh === committed, 'the web client types are stale: run `npm run api:types` and commit web/src/api/schema.d.ts');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
