/**
 * The listed agent's side in Chromium at 390 px, without JavaScript: an
 * objection from the card's own address hides the card at once; one from an
 * address nothing ties to the agency is handed to the moderators and changes
 * nothing. And the région's moderator states the agency's own e-mail domains.
 * Screenshots go to test-artifacts/screenshots/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { buildAgency, buildContact, buildModerator, TEST_PASSWORD } from '../support/factories';
import { follow, screenshot, typeInto, useBrowser, horizontalOverflow } from './browser';

const PHONE = { width: 390, height: 844 };


async function object(page: Page, email: string, reference: string): Promise<string> {
  clearCaughtMails();
  await page.setViewportSize(PHONE);
  await page.goto('/opposition');
  await typeInto(page, page.locator('#email'), email);
  if (reference) await typeInto(page, page.locator('#reference'), reference);
  await follow(page, page.getByRole('button', { name: /Recevoir le lien|Envoyer/ }));
  const link = /https?:\/\/[^/\s]+(\/opposition\/confirmer\/[A-Za-z0-9_-]+)/.exec((await waitForMail(email, /Confirmez votre opposition/)).text)![1];
  await page.goto(link);
  await follow(page, page.getByRole('button', { name: 'Confirmer mon opposition' }));
  return page.locator('main').innerText();
}

describe('browser: an agent objects, a moderator vouches for a domain', function () {
  this.timeout(90_000);
  const browser = useBrowser();

  it('hides the card at once for its own address, hands a stranger’s objection to the moderators, on a 390 px screen without JavaScript', async () => {
    const agency = await buildAgency({ name: 'Caisse d’allocations familiales de Loire-Atlantique — accueil des partenaires' });
    const stamp = Date.now();
    const own = await buildContact(agency, { kind: 'agent', agentFirstName: 'Agnès', agentLastName: 'Opposante', email: `agnes.${stamp}@caf-e2e.fr` });
    const colleague = await buildContact(agency, { kind: 'agent', agentFirstName: 'Bruno', agentLastName: 'Collègue' });

    const done = await browser.withPage({ javaScript: false }, async (page) => {
      const text = await object(page, `agnes.${stamp}@caf-e2e.fr`, '');
      await screenshot(page, 'objection', 'nojs', '390-done');
      return { text, overflow: await horizontalOverflow(page) };
    });
    const handedOver = await browser.withPage({ javaScript: false }, async (page) => {
      const text = await object(page, `inconnu.${stamp}@ailleurs.example`, `${browser.baseURL}/contacts/${colleague._id}`);
      await screenshot(page, 'objection', 'nojs', '390-handed-over');
      return { text, overflow: await horizontalOverflow(page) };
    });

    expect(done.text).to.include('C’est fait');
    expect(done.overflow).to.equal(0);
    expect((await Contact.findById(own._id).lean<ContactDoc>())!.state).to.equal('restricted');
    expect(handedOver.text).to.include('Votre demande est transmise');
    expect(handedOver.overflow).to.equal(0);
    expect((await Contact.findById(colleague._id).lean<ContactDoc>())!.state).to.equal('published');
  });

  it('lets the région’s moderator state the agency’s e-mail domains from its page, refusing a webmail with the message at the field', async () => {
    const agency = await buildAgency({ name: 'Centre communal d’action sociale de Saint-Herblain', typeCode: 'CCAS' });
    const moderator = await buildModerator(['52']);

    const seen = await browser.withPage({ javaScript: false }, async (page) => {
      await page.setViewportSize(PHONE);
      await page.goto('/connexion');
      await typeInto(page, page.locator('#email'), moderator.email);
      await typeInto(page, page.locator('#password'), TEST_PASSWORD);
      await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
      await page.goto(`/organismes/${agency._id}`);
      await typeInto(page, page.locator('#emailDomains'), 'saint-herblain.fr, orange.fr');
      await follow(page, page.getByRole('button', { name: 'Enregistrer les domaines' }));
      const refused = await page.locator('main').innerText();
      const typed = await page.locator('#emailDomains').inputValue();
      await screenshot(page, 'agency-domains', 'nojs', '390-refused');
      await typeInto(page, page.locator('#emailDomains'), 'saint-herblain.fr');
      await follow(page, page.getByRole('button', { name: 'Enregistrer les domaines' }));
      await screenshot(page, 'agency-domains', 'nojs', '390-saved');
      return { refused, typed, saved: await page.locator('main').innerText(), overflow: await horizontalOverflow(page) };
    });

    expect(seen.refused).to.include('une messagerie ouverte à tous ne prouve pas');
    expect(seen.typed).to.equal('saint-herblain.fr, orange.fr');
    expect(seen.saved).to.include('Domaines enregistrés : saint-herblain.fr');
    expect(seen.overflow).to.equal(0);
  });
});
