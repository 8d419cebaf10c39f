/**
 * The test app on a real loopback port, for clients that need one (a browser,
 * raw HTTP requests with bytes supertest would normalise, a traffic loop).
 * The root hooks have already connected the database, search and mailer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp } from './agent';

export interface AppServer {
  port: number;
  baseURL: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server = http.createServer(testApp());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    baseURL: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawRequest {
  method: string;
  /** Sent exactly as written: %C3%28, [$ne] and the like reach the server untouched. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
  /** The session cookie set by the answer ("ld.sid=…"), if any. */
  cookie?: string;
}

/** One HTTP request with node:http (no client-side normalisation of the path or the body). */
export function rawRequest(port: number, req: RawRequest, agent?: http.Agent, timeoutMs = 20_000): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          ms: Date.now() - started,
          cookie: [res.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).find((c) => c.startsWith('ld.sid=')),
        }),
      );
    });
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs / 1000} s for ${req.method} ${req.path.slice(0, 120)}`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** The CSRF token of a page (its first `_csrf` hidden field). */
export function csrfTokenOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}
