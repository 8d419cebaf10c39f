import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config';

describe('config', () => {
  describe('loadConfig()', () => {
    it('applies the development defaults to an empty environment', () => {
      const cfg = loadConfig({});

      expect(cfg.env).to.equal('development');
      expect(cfg.http.port).to.equal(3000);
      expect(cfg.http.baseUrl).to.equal('http://localhost:3000');
      expect(cfg.mongo.url).to.equal(undefined);
      expect(cfg.meili.indexPrefix).to.equal('ld_development_');
      expect(cfg.seedDemo).to.equal(true);
      expect(Object.isFrozen(cfg) && Object.isFrozen(cfg.http)).to.equal(true);
    });

    it('keeps log lines in memory in test runs only, unless LOG_CAPTURE=false', () => {
      expect(loadConfig({}).log.capture).to.equal(false);
      expect(loadConfig({ NODE_ENV: 'test' }).log.capture).to.equal(true);
      expect(loadConfig({ NODE_ENV: 'test', LOG_CAPTURE: 'false' }).log.capture).to.equal(false);
    });

    it('lists every problem at once, in French, with the variable names', () => {
      let error: unknown;

      try {
        loadConfig({ PORT: 'abc', MONGODB_URL: 'postgres://x', NODE_ENV: 'staging', LOG_LEVEL: 'loud' });
      } catch (err) {
        error = err;
      }

      expect(error).to.be.instanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).to.match(/PORT : attendu : un numéro de port/);
      expect(problems).to.match(/MONGODB_URL : attendu : une URL mongodb/);
      expect(problems).to.match(/NODE_ENV : attendu : development, test ou production/);
      expect(problems).to.match(/LOG_LEVEL/);
    });

    it('requires external services, secrets and the public URL in production and refuses demo seeding', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }))
        .to.throw(ConfigError)
        .with.property('problems')
        .that.satisfies((p: string[]) =>
          ['MONGODB_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'SESSION_SECRET', 'SMTP_URL', 'BASE_URL', 'SEED_DEMO'].every((k) =>
            p.some((line) => line.startsWith(`${k} :`)),
          ),
        );
    });

    it('accepts a complete production environment', () => {
      const cfg = loadConfig({
        NODE_ENV: 'production',
        MONGODB_URL: 'mongodb://mongo:27017/ligne-directe',
        MEILI_URL: 'http://meili:7700',
        MEILI_MASTER_KEY: 'k'.repeat(32),
        SESSION_SECRET: 's'.repeat(40),
        SMTP_URL: 'smtp://mail:25',
        BASE_URL: 'https://ligne-directe.example/',
        PORT: '8080',
      });

      expect(cfg.isProduction).to.equal(true);
      expect(cfg.http.baseUrl).to.equal('https://ligne-directe.example');
      expect(cfg.http.port).to.equal(8080);
      expect(cfg.seedDemo).to.equal(false);
    });
  });
});
