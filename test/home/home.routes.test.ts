import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app';

describe('home.routes', () => {
  const app = createApp();

  describe('GET /', () => {
    it('renders the French home page with a search form GET /recherche?q=', async () => {
      const res = await request(app).get('/');

      expect(res.status).to.equal(200);
      expect(res.type).to.equal('text/html');
      expect(res.text).to.include('<html lang="fr">');
      expect(res.text).to.include('Ligne directe');
      expect(res.text).to.match(/<form[^>]+method="get"[^>]+action="\/recherche"/);
      expect(res.text).to.match(/<input[^>]+name="q"/);
      expect(res.text).to.include('href="/connexion"');
      expect(res.text).to.include('href="/inscription"');
    });

    it('sends a strict CSP without inline script, no framing and noindex', async () => {
      const res = await request(app).get('/');

      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.include("script-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).not.to.include('unsafe-inline');
      expect(res.headers['x-robots-tag']).to.include('noindex');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['x-powered-by']).to.equal(undefined);
      expect(res.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    });
  });

  describe('GET /robots.txt', () => {
    it('disallows everything', async () => {
      const res = await request(app).get('/robots.txt');

      expect(res.status).to.equal(200);
      expect(res.text).to.equal('User-agent: *\nDisallow: /\n');
    });
  });

  describe('unknown routes', () => {
    it('render the French 404 page', async () => {
      const res = await request(app).get('/nulle-part');

      expect(res.status).to.equal(404);
      expect(res.text).to.include('Page introuvable');
      expect(res.text).to.include('Revenir à l’accueil');
    });

    it('answer JSON errors to JSON clients', async () => {
      const res = await request(app).get('/nulle-part').set('Accept', 'application/json');

      expect(res.status).to.equal(404);
      expect(res.body.error).to.include({ status: 404, code: 'not_found' });
    });
  });
});
