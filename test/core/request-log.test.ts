import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app';
import { capturedLogLines } from '../../src/core/logger';
import { REQUEST_ID_FORMAT } from '../../src/core/request-log';
import { signedInAgent } from '../support/agent';
import { buildMember, TEST_PASSWORD } from '../support/factories';

/** The request lines logged since `from`, parsed. */
function requestLines(from: number): Array<Record<string, unknown>> {
  return capturedLogLines
    .slice(from)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'request');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request-log', () => {
  describe('X-Request-Id', () => {
    it('ignores an incoming id when no proxy is trusted (TRUST_PROXY=0) and answers with its own', async () => {
      const res = await request(createApp()).get('/health').set('X-Request-Id', 'proxy-id-0001');

      expect(res.headers['x-request-id']).to.match(UUID);
    });

    it('keeps a well-formed id from a trusted proxy, and logs it on the request line', async () => {
      const app = createApp();
      app.set('trust proxy', 1);
      const from = capturedLogLines.length;

      const res = await request(app).get('/health').set('X-Request-Id', 'edge-7f3a.42:b_1');

      expect(res.headers['x-request-id']).to.equal('edge-7f3a.42:b_1');
      expect(requestLines(from).map((l) => l.reqId)).to.include('edge-7f3a.42:b_1');
    });

    it('replaces a malformed or oversized id from a trusted proxy', async () => {
      const app = createApp();
      app.set('trust proxy', 1);

      const spaced = await request(app).get('/health').set('X-Request-Id', 'a b');
      const injected = await request(app).get('/health').set('X-Request-Id', 'x"}\\u000a{"level":60');
      const long = await request(app).get('/health').set('X-Request-Id', 'a'.repeat(65));

      for (const res of [spaced, injected, long]) expect(res.headers['x-request-id']).to.match(UUID);
      expect(REQUEST_ID_FORMAT.test('a'.repeat(64))).to.equal(true);
    });
  });

  describe('actorId', () => {
    it('is logged on the request line once the session is known, and absent for anonymous requests', async () => {
      const member = await buildMember();
      const agent = await signedInAgent(member.email, TEST_PASSWORD);
      const from = capturedLogLines.length;

      await agent.get('/compte');
      await request(createApp()).get('/connexion');

      const [signedIn, anonymous] = requestLines(from);
      expect(signedIn).to.include({ path: '/compte', actorId: String(member._id) });
      expect(anonymous.path).to.equal('/connexion');
      expect(anonymous).to.not.have.property('actorId');
    });
  });
});
