/**
 * « J’ai appelé » on a 390 px phone, with and without JavaScript: on a search
 * result (folded under its summary) and on the contact page, three outcomes in
 * one tap; with JavaScript the page does not reload and the « joint par N
 * collègues ce mois-ci » line updates in place. The author's « Toujours
 * valable » on a card the calls put to « à vérifier ». Nothing wider than the
 * screen.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Contact } from '../../src/contacts/contact.model';
import { toActor } from '../../src/members/members.presenter';
import { syncNow } from '../../src/search/indexer';
import { recordCall } from '../../src/signals/calls.service';
import { buildAgency, buildContact, buildMember } from '../support/factories';
import { horizontalOverflow, MODES, screenshot, signIn, useBrowser } from './browser';

describe('« J’ai appelé » (browser, 390 px)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  const emails: Record<string, string> = {};
  const cards: Record<string, string> = {};

  before(async () => {
    const author = await buildMember({ firstName: 'Alix', departement: '44', region: '52' });
    emails.author = author.email;
    const caf = await buildAgency({ name: 'Caisse d’allocations familiales de Loire-Atlantique', typeCode: 'CAF', commune: 'Saint-Herblain' });
    for (const mode of ['js', 'nojs']) {
      emails[mode] = (await buildMember({ firstName: `Appel ${mode}`, departement: '44', region: '52' })).email;
      const c = await buildContact(caf, {
        kind: 'agent',
        agentFirstName: 'Maximilien-Alexandre',
        agentLastName: `Appel-${mode}`,
        function: 'Conseiller référent des partenaires pour le revenu de solidarité active',
        service: 'Pôle solidarité et insertion',
        createdBy: author._id,
      });
      cards[mode] = String(c._id);
      // One colleague reached it already: the line shows from one on.
      await recordCall(toActor(await buildMember()), String(c._id), 'reached');
    }
    const flagged = await buildContact(caf, { service: 'Accueil des partenaires (numéro signalé)', createdBy: author._id });
    cards.flagged = String(flagged._id);
    for (let i = 0; i < 2; i++) await recordCall(toActor(await buildMember()), String(flagged._id), 'wrong_number');
    await syncNow();
  });

  async function tapOutcome(page: Page, scope: ReturnType<Page['locator']>, label: string, javaScript: boolean): Promise<void> {
    const button = scope.getByRole('button', { name: label, exact: true });
    if (javaScript) {
      const url = page.url();
      await button.click();
      await page.waitForFunction((el) => !!(el as unknown as { textContent: string }).textContent?.includes('Merci'), await scope.locator('[data-call-status]').elementHandle());
      expect(page.url(), 'no reload with JavaScript').to.equal(url);
    } else {
      const loaded = page.waitForEvent('load');
      await button.click();
      await loaded;
    }
  }

  for (const { mode, javaScript } of MODES) {
    it(`lets a member tap an outcome on a result and on the card, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      await browser.withPage({ javaScript }, async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page, emails[mode]);

        await page.goto(`/recherche?q=${encodeURIComponent(`Appel-${mode}`)}`);
        const hit = page.locator(`article.hit[data-contact-id="${cards[mode]}"]`);
        expect(await hit.locator('.hit__trust').innerText()).to.include('joint par 1 collègue ce mois-ci');
        await hit.locator('summary', { hasText: 'J’ai appelé' }).click();
        expect(await horizontalOverflow(page), 'results page with the outcomes open').to.equal(0);
        await screenshot(page, 'calls', mode, '1-result-open');
        await tapOutcome(page, hit, 'Joint', javaScript);
        const after = page.locator(`article.hit[data-contact-id="${cards[mode]}"]`);
        if (javaScript) {
          expect(await after.locator('button[value="reached"]').getAttribute('aria-pressed')).to.equal('true');
          expect(await after.locator('.hit__trust').innerText()).to.include('joint par 2 collègues ce mois-ci');
        } else {
          expect(page.url()).to.include('/recherche?');
          expect(await page.locator('body').innerText()).to.include('« Joint » est enregistré pour aujourd’hui');
        }
        expect(await horizontalOverflow(page), 'results page after the tap').to.equal(0);
        await screenshot(page, 'calls', mode, '2-result-tapped');

        await page.goto(`/contacts/${cards[mode]}`);
        expect(await page.locator('.reached').innerText()).to.equal('joint par 2 collègues ce mois-ci');
        const form = page.locator('form[data-call-form]');
        await tapOutcome(page, form, 'Pas de réponse', javaScript);
        // The member's « Joint » of today is replaced, not added: one colleague again.
        expect(await page.locator('.reached').innerText()).to.equal('joint par 1 collègue ce mois-ci');
        expect(await page.locator('form[data-call-form] button[value="no_answer"]').getAttribute('aria-pressed')).to.equal('true');
        expect(await horizontalOverflow(page), 'contact page').to.equal(0);
        await screenshot(page, 'calls', mode, '3-card-tapped');
      });
    });
  }

  it('lets the author confirm « Toujours valable » on a card the calls put to « à vérifier » (390 px, JavaScript off)', async () => {
    await browser.withPage({ javaScript: false }, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, emails.author);

      await page.goto(`/contacts/${cards.flagged}`);
      expect(await page.locator('body').innerText()).to.include('Elle est « à vérifier »');
      expect(await horizontalOverflow(page), 'author’s page').to.equal(0);
      await screenshot(page, 'calls', 'nojs', '4-author-needs-check');
      const loaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Toujours valable', exact: true }).click();
      await loaded;

      expect(await page.locator('body').innerText()).to.include('La fiche n’est plus « à vérifier »');
      expect((await Contact.findById(cards.flagged).lean())!.state).to.equal('published');
    });
  });
});
