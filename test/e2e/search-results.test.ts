/**
 * The results page as a member sees it (docs/search.md « 7. Result cards »): dense cards with
 * their trust line, six or more on a 1280 × 800 screen; on a 390 px phone the
 * zone and a folded « Filtres » before the results and nothing wider than the
 * screen; « Copier » copies the number as shown. With and without JavaScript.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { syncNow } from '../../src/search/indexer';
import { buildAgency, buildContact, buildMember, TEST_PASSWORD } from '../support/factories';
import { follow, MODES, screenshot, typeInto, useBrowser } from './browser';

interface Box {
  top: number;
  bottom: number;
}
type Doc = {
  documentElement: { scrollWidth: number };
  querySelector(s: string): { getBoundingClientRect(): Box } | null;
  querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): Box }>;
};

const DAY = 24 * 3600 * 1000;

describe('search results page (browser)', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let email: string;

  before(async () => {
    email = (await buildMember({ firstName: 'Jeanne', lastName: 'Résultats', departement: '44', region: '52' })).email;
    const caf = await buildAgency({ name: 'Caisse d’allocations familiales de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' });
    const cafNord = await buildAgency({
      name: 'CAF de Loire-Atlantique – antenne de Saint-Nazaire',
      typeCode: 'CAF',
      commune: 'Saint-Nazaire',
      postcode: '44600',
    });
    for (let i = 0; i < 5; i++) {
      await buildContact(caf, {
        kind: 'agent',
        agentFirstName: ['Sophie', 'Nadia', 'Karim', 'Élodie', 'Maximilien-Alexandre'][i],
        agentLastName: 'E.',
        function: i === 4 ? 'Conseiller référent des partenaires pour le revenu de solidarité active et la prime d’activité' : 'Référente partenaires',
        service: 'Pôle solidarité et insertion',
        lastVerifiedAt: new Date(Date.now() - (i + 1) * 40 * DAY),
        counters: { confirmations: i + 2, helpful: i * 2, notHelpful: 1, reports: 0 },
      });
    }
    for (let i = 0; i < 5; i++) await buildContact(cafNord, { service: `Ligne partenaires ${i + 1}` });
    await syncNow();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto('/connexion');
    await typeInto(page, page.locator('#email'), email);
    await typeInto(page, page.locator('#password'), TEST_PASSWORD);
    await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
  }

  for (const { mode, javaScript } of MODES) {
    describe(`JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it('shows six results or more on a 1280 × 800 screen, each with its trust line', async () => {
        await browser.withPage({ javaScript }, async (page) => {
          await page.setViewportSize({ width: 1280, height: 800 });
          await signIn(page);

          await page.goto('/recherche?q=caf');

          const seen = await page.evaluate(() => {
            const doc = (globalThis as unknown as { document: Doc }).document;
            return Array.from(doc.querySelectorAll('ol.hits > li')).map((li) => li.getBoundingClientRect().bottom);
          });
          await screenshot(page, 'resultats', mode, '1280');
          expect(seen.length).to.equal(10);
          expect(seen.filter((bottom) => bottom <= 800).length, 'cards entirely on the first screen').to.be.at.least(6);
          expect(await page.locator('.hit__trust').first().innerText()).to.match(/^vérifié /);
          expect(await page.locator('.hit__trust', { hasText: 'utile à 8' }).count()).to.equal(1);
        });
      });

      it('puts the zone and a folded « Filtres » before the results on a 390 px phone, nothing wider than the screen', async () => {
        await browser.withPage({ javaScript }, async (page) => {
          await page.setViewportSize({ width: 390, height: 844 });
          await signIn(page);

          await page.goto('/recherche?q=caf');

          // No named helper inside evaluate(): the TypeScript loader would wrap it in a function the page does not have.
          const [zone, filters, firstResult, scrollWidth] = await page.evaluate(
            (selectors) => {
              const doc = (globalThis as unknown as { document: Doc }).document;
              return [...selectors.map((s) => doc.querySelector(s)?.getBoundingClientRect().top ?? -1), doc.documentElement.scrollWidth];
            },
            ['.zone__line', '.filters', 'ol.hits > li'],
          );
          const layout = { zone, filters, firstResult, scrollWidth };
          await screenshot(page, 'resultats', mode, '390');
          expect(layout.zone).to.be.greaterThan(0);
          expect(layout.filters).to.be.greaterThan(layout.zone);
          expect(layout.firstResult).to.be.greaterThan(layout.filters);
          expect(layout.scrollWidth, 'page width at 390 px').to.be.at.most(390);
          expect(await page.locator('.filters .facet').first().isVisible()).to.equal(false);
          await page.locator('.filters > summary').click();
          expect(await page.locator('.filters .facet').first().isVisible()).to.equal(true);
        });
      });
    });
  }

  it('copies the number as it is shown', async () => {
    await browser.withPage({ javaScript: true }, async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await signIn(page);
      await page.goto('/recherche?q=caf');

      const shown = await page.locator('ol.hits .phones a').first().innerText();
      await page.locator('ol.hits .copy-button').first().click();

      expect(shown).to.match(/^0\d( \d\d){4}$/);
      expect(
        await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
      ).to.equal(shown);
    });
  });
});
