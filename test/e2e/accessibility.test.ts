/**
 * RGAA essentials checked in Chromium: axe-core (WCAG 2.x A/AA) on the key
 * pages, a visible focus on every element reached with Tab, the skip link
 * first, and forms that announce their errors (summary with role="alert"
 * that receives the focus, fields marked aria-invalid and described by their
 * message). Pages are opened with JavaScript on and the CSP bypassed, which
 * axe needs (see axeCheck in ./browser).
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildAgency, buildApplicant, buildContact, buildModerator, TEST_PASSWORD } from '../support/factories';
import { syncNow } from '../../src/search/indexer';
import { axeCheck, axeViolationsSoFar, errorLinkageProblems, focused, follow, pressAndLoad, tabTo, typeInto, useBrowser, walkFocus } from './browser';

const AXE = { javaScript: true, bypassCSP: true } as const;

describe('accessibility', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let moderatorEmail: string;
  let contactId: string;

  before(async () => {
    moderatorEmail = (await buildModerator(['52'])).email;
    await buildApplicant({ firstName: 'Inès', lastName: 'Candidate' });
    const caf = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' });
    contactId = String((await buildContact(caf, { kind: 'agent', agentFirstName: 'Sophie', agentLastName: 'L.', function: 'Conseillère partenaires', hours: 'Lun–ven 9h–12h', topics: ['RSA'] }))._id);
    await buildContact(caf, { service: 'Cellule partenaires RSA', topics: ['RSA', 'PRIME_ACTIVITE'] });
    await syncNow();
  });

  /** axe, then one full round of Tab: every stop must show its focus. */
  async function checkPage(page: Page, label: string): Promise<void> {
    await axeCheck(page, label);
    const walk = await walkFocus(page);
    expect(walk.stops, `focusable elements on ${label}`).to.be.greaterThan(2);
    expect(walk.invisible, `stops without a visible focus on ${label}`).to.deep.equal([]);
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto('/connexion');
    await typeInto(page, page.locator('#email'), moderatorEmail);
    await typeInto(page, page.locator('#password'), TEST_PASSWORD);
    await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
  }

  /** Submits the form containing `button` with the keyboard. */
  async function submitWith(page: Page, button: string): Promise<void> {
    await follow(page, page.getByRole('button', { name: button, exact: true }));
  }

  async function expectAnnouncedErrors(page: Page, label: string): Promise<void> {
    const summary = page.locator('[data-error-summary]');
    expect(await summary.getAttribute('role'), `${label}: the summary is announced`).to.equal('alert');
    expect((await focused(page)).description, `${label}: the summary has the focus`).to.match(/^<div> « Il y a \d+ points? à corriger/);
    expect(await errorLinkageProblems(page), label).to.deep.equal([]);
  }

  describe('public pages', () => {
    it('home, sign-in, registration with errors and the 404 page have no serious or critical axe violation and a visible focus everywhere', async () => {
      await browser.withPage(AXE, async (page) => {
        await page.goto('/');
        await checkPage(page, 'accueil (visiteur)');

        await page.goto('/connexion');
        await checkPage(page, 'connexion');

        await page.goto('/inscription');
        await checkPage(page, 'inscription');
        await submitWith(page, 'Envoyer ma demande');
        await expectAnnouncedErrors(page, 'inscription avec erreurs');
        await checkPage(page, 'inscription avec erreurs');

        await page.goto('/pas-de-page-ici');
        expect(await page.locator('h1').innerText()).to.equal('Page introuvable');
        await checkPage(page, 'page 404');
      });
    });

    it('puts the skip link first, and it moves the focus to the content', async () => {
      await browser.withPage({ javaScript: false }, async (page) => {
        await page.goto('/connexion');

        await page.keyboard.press('Tab');
        const first = await focused(page);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        const afterSkip = await focused(page);

        expect(first.description).to.equal('<a href="#contenu"> « Aller au contenu »');
        expect(first.invisible).to.equal('');
        expect(afterSkip.description).to.equal('<input#email>');
      });
    });

    it('announces sign-in errors and links each message to its field', async () => {
      await browser.withPage(AXE, async (page) => {
        await page.goto('/connexion');
        await typeInto(page, page.locator('#email'), 'pas-une-adresse');
        await submitWith(page, 'Se connecter');

        await expectAnnouncedErrors(page, 'connexion avec erreurs');
        expect(await page.locator('#email').inputValue()).to.equal('pas-une-adresse');
        await axeCheck(page, 'connexion avec erreurs');
      });
    });
  });

  describe('member pages', () => {
    it('search, results, contact, add form with errors, account and the moderation queue have no serious or critical axe violation and a visible focus everywhere', async () => {
      await browser.withPage(AXE, async (page) => {
        await signIn(page);
        await checkPage(page, 'accueil (membre)');

        await page.goto('/recherche');
        await checkPage(page, 'recherche');

        await page.goto('/recherche?q=caf%20rsa');
        expect(await page.locator('ol.hits > li').count()).to.be.greaterThan(0);
        await checkPage(page, 'résultats');

        await page.goto(`/contacts/${contactId}`);
        expect(await page.locator('h1').innerText()).to.equal('Sophie L.');
        await checkPage(page, 'fiche contact');

        await page.goto('/contacts/nouveau');
        await checkPage(page, 'ajout de contact');
        // The extension field is described by its own hint (digits only), not the phone field's.
        expect(await page.locator('#phone1Extension').getAttribute('aria-describedby')).to.equal('phone1Extension-hint');
        await typeInto(page, page.locator('#tips'), 'Dossier de Mme DUPONT née le 03/04/1985');
        await submitWith(page, 'Envoyer à la modération');
        await expectAnnouncedErrors(page, 'ajout de contact avec erreurs');
        await checkPage(page, 'ajout de contact avec erreurs');

        await page.goto(`/contacts/${contactId}/modifier`);
        await submitWith(page, (await page.locator('main form[method="post"] button[type="submit"]').last().innerText()).trim());
        expect(await page.locator('[data-error-summary]').innerText()).to.include('Vous n’avez rien modifié.');
        await expectAnnouncedErrors(page, 'modification sans changement');
        await axeCheck(page, 'modification sans changement');

        await page.goto('/compte');
        await checkPage(page, 'mon compte');
        await typeInto(page, page.locator('#firstName'), ' ');
        await submitWith(page, 'Enregistrer mon profil');
        await expectAnnouncedErrors(page, 'mon compte avec erreurs');
        await checkPage(page, 'mon compte avec erreurs');

        await page.goto('/compte/mot-de-passe');
        await submitWith(page, (await page.locator('main button[type="submit"]').last().innerText()).trim());
        await expectAnnouncedErrors(page, 'mot de passe avec erreurs');
        await axeCheck(page, 'mot de passe avec erreurs');

        await page.goto('/moderation/membres');
        expect(await page.locator('main').innerText()).to.include('Inès Candidate');
        await checkPage(page, 'demandes d’accès');
      });
      const minor = Object.entries(axeViolationsSoFar()).flatMap(([label, list]) => list.map((v) => `${label}: ${v.impact} ${v.id}`));
      expect(minor.filter((line) => /serious|critical/.test(line))).to.deep.equal([]);
    });

    it('keeps the focus visible on the error summary the script focuses', async () => {
      await browser.withPage({ javaScript: true }, async (page) => {
        await page.goto('/inscription');
        await tabTo(page, page.getByRole('button', { name: 'Envoyer ma demande' }));
        await pressAndLoad(page);

        const stop = await focused(page);

        expect(stop.description).to.match(/^<div> « Il y a/);
        expect(stop.invisible).to.equal('');
      });
    });
  });
});
