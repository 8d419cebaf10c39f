import { expect } from 'chai';
import request from 'supertest';
import { metricsRegistry } from '../../src/core/metrics';
import { sendMail } from '../../src/mail/mailer';
import { testApp } from '../support/agent';

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = (metric?.values ?? []).find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return sample?.value ?? 0;
}

describe('metrics.routes', () => {
  describe('GET /metrics', () => {
    it('does not exist without METRICS_TOKEN (the test configuration has none)', async () => {
      const res = await request(testApp()).get('/metrics').set('Authorization', 'Bearer anything-at-all-here');

      expect(res.status).to.equal(404);
      expect(res.text).to.not.include('ld_http_request_duration_seconds');
    });
  });

  describe('registry', () => {
    it('times requests by route pattern, never by raw path', async () => {
      await request(testApp()).get('/health');
      await request(testApp()).get('/contacts/0123456789abcdef01234567');
      await request(testApp()).get('/nulle-part-123');

      const exposition = await metricsRegistry.metrics();

      expect(exposition).to.match(/ld_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
      expect(exposition).to.include('route="/contacts/:id"');
      expect(exposition).to.include('route="(unmatched)"');
      expect(exposition).to.not.include('0123456789abcdef01234567');
      expect(exposition).to.not.include('nulle-part-123');
    });

    it('counts mails sent through the real SMTP path', async () => {
      const before = await value('ld_mails_total', { result: 'sent' });

      await sendMail({ to: 'metrics@ccas-test.fr', subject: 'Test des métriques', text: 'Bonjour.' });

      expect(await value('ld_mails_total', { result: 'sent' })).to.equal(before + 1);
    });
  });
});
