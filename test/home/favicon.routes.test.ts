import { expect } from 'chai';
import { newAgent } from '../support/agent';

describe('favicon.routes', () => {
  describe('GET /favicon.ico', () => {
    it('answers the SVG icon with a long cache and no session cookie', async () => {
      const res = await newAgent().get('/favicon.ico').buffer(true).parse((r, done) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => done(null, body));
      });

      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^image\/svg\+xml/);
      expect(res.headers['cache-control']).to.match(/max-age=2592000/);
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(String(res.body)).to.include('<svg');
    });
  });

  describe('layout', () => {
    it('links the icon from every page, and the icon is served', async () => {
      const agent = newAgent();

      const page = await agent.get('/connexion');
      const icon = await agent.get('/static/img/favicon.svg');

      expect(page.text).to.include('<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">');
      expect(icon.status).to.equal(200);
    });
  });
});
