/**
 * The pool taken from undici's own modules (src/search/undici-pool.ts): in a
 * process of its own, so that nothing else has loaded undici's index, it
 * answers a request without loading the index; here, next to the index, it
 * is the index's own Pool.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import * as undici from 'undici';
import { config } from '../../src/config';
import { Pool } from '../../src/search/undici-pool';

const run = promisify(execFile);

const PROBE = `
import http from 'node:http';
import { createRequire } from 'node:module';
const { Pool } = await import('./src/search/undici-pool.ts');
const server = http.createServer((req, res) => res.end(req.method + ' ' + req.url));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const pool = new Pool('http://127.0.0.1:' + server.address().port);
const res = await pool.request({ method: 'POST', path: '/indexes/x/search', body: '{}' });
const text = await res.body.text();
await pool.close();
server.close();
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/node_modules/undici/'));
console.log(JSON.stringify({ status: res.statusCode, text, index: loaded.some((f) => f.endsWith('/undici/index.js')), fetch: loaded.some((f) => f.includes('/lib/web/fetch/')) }));
`;

describe('search/undici-pool', function () {
  this.timeout(30_000);

  it('sends a request through the pool without loading undici’s index, fetch or WebSocket', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { cwd: config.paths.root });
    const probe = JSON.parse(stdout) as { status: number; text: string; index: boolean; fetch: boolean };
    expect(probe).to.include({ status: 200, text: 'POST /indexes/x/search', index: false, fetch: false });
  });

  it('is the Pool of undici’s index', () => {
    expect(Pool).to.equal(undici.Pool);
  });
});
