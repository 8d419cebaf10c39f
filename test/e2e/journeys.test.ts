/**
 * The journeys as a person lives them, in Chromium, with the keyboard only
 * (Tab, Shift+Tab, Enter, Space and typing; never a click), once with
 * JavaScript and once without. Each step asserts what the person sees.
 * Screenshots of the key pages go to test-artifacts/screenshots/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { publishContact } from '../../src/contacts/contacts.service';
import { waitForMail } from '../../src/mail/mail-catcher';
import { toActor } from '../../src/members/members.presenter';
import { syncNow } from '../../src/search/indexer';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { chooseByTyping, follow, focused, MODES, type Mode, pressAndLoad, screenshot, tabTo, typeInto, useBrowser } from './browser';

/** "+33261910001" → "02 61 91 00 01", as a person would type it. */
const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

const text = (page: Page, selector: string) => page.locator(selector).innerText();

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/connexion');
  await typeInto(page, page.locator('#email'), email);
  await typeInto(page, page.locator('#password'), password);
  await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
}

/** The error summary is announced (role="alert") and comes before the form; with JavaScript, app.js also moves the focus to it. */
async function expectErrorSummary(page: Page, mode: Mode, title: RegExp): Promise<void> {
  const summary = page.locator('[data-error-summary]');
  expect(await summary.getAttribute('role')).to.equal('alert');
  expect(await summary.locator('h2').innerText()).to.match(title);
  expect(await summary.evaluate((el: { compareDocumentPosition(o: unknown): number; ownerDocument: { querySelector(s: string): unknown } }) => el.compareDocumentPosition(el.ownerDocument.querySelector('main form[method="post"]')) & 4)).to.equal(4);
  if (mode === 'js') {
    expect((await focused(page)).description, 'the error summary has the focus').to.match(/^<div> « Il y a/);
    expect(await summary.evaluate((el: { matches(s: string): boolean }) => el.matches(':focus'))).to.equal(true);
  }
}

describe('browser journeys', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  let moderatorEmail: string;

  before(async function () {
    this.timeout(60_000);
    const moderator = await buildModerator(['52'], { firstName: 'Morgane', lastName: 'Modératrice' });
    moderatorEmail = moderator.email;
    const cpam = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM', commune: 'Nantes' });
    await buildContact(cpam, { kind: 'agent', agentFirstName: 'Karim', agentLastName: 'Benali', function: 'Référent accès aux droits', service: 'Pôle partenaires', topics: ['CSS'] });
    await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' });
    await syncNow();
  });

  for (const { mode, javaScript } of MODES) {
    describe(`JavaScript ${javaScript ? 'on' : 'off'}, keyboard only`, () => {
      it('a newcomer registers, confirms the e-mail, is approved by a moderator, finds a contact despite a typo and opens it', async () => {
        const journey = 'inscription';
        const email = `camille.${mode}.${Date.now()}@ccas-saint-nazaire.fr`;
        const password = 'le train de nuit pour Nantes';
        const lastName = `Durand-${mode}`;

        await browser.withPage({ javaScript }, async (page) => {
          await page.goto('/');
          expect(await page.title()).to.equal('Accueil · Ligne directe');
          await screenshot(page, journey, mode, '01-accueil');
          await follow(page, page.getByRole('link', { name: 'Demander un accès', exact: true }));

          // The form, filled in with the keyboard; the charter box is forgotten.
          expect(await text(page, 'h1')).to.equal('Demander un accès');
          await typeInto(page, page.locator('#email'), email);
          await typeInto(page, page.locator('#password'), password);
          await typeInto(page, page.locator('#firstName'), 'Camille');
          await typeInto(page, page.locator('#lastName'), lastName);
          await chooseByTyping(page, page.locator('#profession'), 'Assist', /^Assistant·e de service social$/);
          await typeInto(page, page.locator('#employer'), 'CCAS de Saint-Nazaire');
          await chooseByTyping(page, page.locator('#departement'), '44', /^44 – Loire-Atlantique$/);
          await follow(page, page.getByRole('button', { name: 'Envoyer ma demande' }));

          // The error summary names the problem and leads to the field.
          await expectErrorSummary(page, mode, /^Il y a 1 point à corriger$/);
          const charterError = 'Cochez la case pour accepter la charte : c’est la condition de l’accès.';
          expect(await text(page, '#charter-error')).to.include(charterError);
          expect(await page.locator('#charter').getAttribute('aria-invalid')).to.equal('true');
          expect(await page.locator('#charter').getAttribute('aria-describedby')).to.equal('charter-error');
          expect(await page.locator('#employer').inputValue()).to.equal('CCAS de Saint-Nazaire');
          await screenshot(page, journey, mode, '02-inscription-erreurs');
          await tabTo(page, page.locator('[data-error-summary] a', { hasText: 'Cochez la case' }));
          await page.keyboard.press('Enter');
          expect((await focused(page)).description).to.match(/^<input#charter>/);
          await page.keyboard.press('Space');
          expect(await page.locator('#charter').isChecked()).to.equal(true);
          // The password is never sent back: it is typed again.
          expect(await page.locator('#password').inputValue()).to.equal('');
          await typeInto(page, page.locator('#password'), password, { backwards: true });
          await follow(page, page.getByRole('button', { name: 'Envoyer ma demande' }));

          expect(await text(page, 'h1')).to.equal('Vérifiez votre boîte e-mail');
          await screenshot(page, journey, mode, '03-inscription-envoyee');

          // The link in the e-mail.
          const mail = await waitForMail(email, /Confirmez votre adresse/);
          const link = /https?:\/\/\S+(\/inscription\/verifier\/[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
          expect(link, 'verification link in the e-mail').to.be.a('string');
          await page.goto(link!);
          expect(await text(page, 'h1')).to.equal('Adresse confirmée');
          expect(await text(page, 'main')).to.include('en attente de validation');
          await screenshot(page, journey, mode, '04-adresse-confirmee');

          // Signed in, the applicant sees where the application stands, and nothing more.
          await follow(page, page.locator('main').getByRole('link', { name: 'Se connecter' }));
          await typeInto(page, page.locator('#email'), email);
          await typeInto(page, page.locator('#password'), password);
          await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
          expect(new URL(page.url()).pathname).to.equal('/compte');
          expect(await text(page, 'main')).to.include('En attente de validation par la modération de votre région');
          expect(await page.getByRole('link', { name: 'Rechercher' }).count()).to.equal(0);
          await screenshot(page, journey, mode, '05-compte-en-attente');

          // A moderator of the région approves the application, in the browser.
          await browser.withPage({ javaScript }, async (mod) => {
            await signIn(mod, moderatorEmail, TEST_PASSWORD);
            await mod.goto('/moderation/membres');
            expect(await text(mod, 'h1')).to.equal('Demandes d’accès');
            const application = mod.getByRole('article', { name: `Camille ${lastName}` });
            await follow(mod, application.getByRole('button', { name: 'Valider l’accès' }));
            expect(await text(mod, '[role="status"]')).to.include(`Accès validé pour Camille ${lastName}. Un e-mail lui a été envoyé.`);
            expect(await mod.getByRole('article', { name: `Camille ${lastName}` }).count()).to.equal(0);
            await screenshot(mod, journey, mode, '06-moderation-acces-valide');
          });
          await waitForMail(email, /validé/);

          // Now a member: search with a typo from the home page, then open the contact.
          await page.goto('/');
          expect(await text(page, 'h1')).to.equal(`Bonjour Camille ${lastName}`);
          await typeInto(page, page.locator('#q'), 'cpam nantse');
          await pressAndLoad(page);
          expect(await text(page, 'h1')).to.match(/^« cpam nantse » : \d+ résultats?$/);
          const hit = page.locator('ol.hits > li').first();
          expect(await hit.innerText()).to.include('CPAM de Loire-Atlantique');
          await screenshot(page, journey, mode, '07-resultats');
          await follow(page, hit.getByRole('link', { name: 'Karim Benali' }));

          expect(await text(page, 'h1')).to.equal('Karim Benali');
          expect(await text(page, '.contact__agency')).to.include('CPAM de Loire-Atlantique');
          const phone = page.locator('.phones a[href^="tel:+33"]').first();
          expect(await phone.innerText()).to.match(/^0\d( \d\d){4}$/);
          expect(await page.getByRole('button', { name: /^Copier le numéro/ }).count()).to.equal(javaScript ? 1 : 0);
          await tabTo(page, phone);
          await screenshot(page, journey, mode, '08-contact');
        });
      });

      it('a member adds a contact who unblocked a case, is stopped once by the confidentiality screen, and finds it once approved', async () => {
        const journey = 'ajout-contact';
        const agent = mode === 'js' ? { first: 'Sophie', last: 'Lemaire' } : { first: 'Nadia', last: 'Guerin' };
        const phone = display(nextFictionalNumber('44'));
        const member = await buildMember({ firstName: 'Alex', lastName: `Martin-${mode}` });

        await browser.withPage({ javaScript }, async (page) => {
          await page.goto('/connexion');
          await screenshot(page, journey, mode, '01-connexion');
          await typeInto(page, page.locator('#email'), member.email);
          await typeInto(page, page.locator('#password'), TEST_PASSWORD);
          await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
          expect(await text(page, 'h1')).to.equal(`Bonjour Alex Martin-${mode}`);

          await follow(page, page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Ajouter un contact' }));
          expect(await text(page, 'h1')).to.equal('Ajouter un contact');
          // The département's agencies are listed without JavaScript; the member's own is pre-selected.
          expect(await page.locator('#departement').inputValue()).to.equal('44');
          await chooseByTyping(page, page.locator('#agencyId'), 'CAF de L', /^CAF de Loire-Atlantique/);
          await typeInto(page, page.locator('#agentFirstName'), agent.first);
          await typeInto(page, page.locator('#agentLastName'), agent.last);
          await typeInto(page, page.locator('#function'), 'Conseillère partenaires');
          await tabTo(page, page.locator('#agentInformed'));
          await page.keyboard.press('Space');
          await typeInto(page, page.locator('#phone1'), phone);
          await tabTo(page, page.locator('#topic-RSA'));
          await page.keyboard.press('Space');
          // « Ce que ce contact a permis » sits in the folded part of the form: the person opens it.
          await tabTo(page, page.locator('.more-fields > summary'));
          await page.keyboard.press('Enter');
          await typeInto(page, page.locator('#account'), 'A débloqué le dossier de Mme DUPONT, née le 03/04/1985, en une semaine.');
          await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));

          // Stopped by the confidentiality screen: told why, in words, and nothing typed is lost.
          await expectErrorSummary(page, mode, /^Il y a 1 point à corriger$/);
          const summary = await text(page, '[data-error-summary]');
          expect(summary).to.include('secret professionnel');
          expect(summary).to.include('« Ce que ce contact a permis » : une date de naissance');
          expect(await page.locator('#account').getAttribute('aria-invalid')).to.equal('true');
          expect(await page.locator('#account').getAttribute('aria-describedby')).to.include('account-error');
          expect(await text(page, '#account-error')).to.include('Nous y avons reconnu une date de naissance');
          expect(await text(page, '#account-error')).to.include('Décrivez le service, pas la situation');
          expect(await page.locator('#agentLastName').inputValue()).to.equal(agent.last);
          expect(await page.locator('#phone1').inputValue()).to.equal(phone);
          expect(await page.locator('#topic-RSA').isChecked()).to.equal(true);
          await screenshot(page, journey, mode, '02-ajout-erreurs');

          await tabTo(page, page.locator('[data-error-summary] a').first());
          await page.keyboard.press('Enter');
          expect((await focused(page)).description).to.match(/^<textarea#account>/);
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.type('A régularisé un indu de RSA en une semaine.');
          await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));

          // Saved, pending: the page says what happens next.
          const contactPath = new URL(page.url()).pathname;
          expect(contactPath).to.match(/^\/contacts\/[a-f0-9]{24}$/);
          expect(await text(page, '.notice--success')).to.include('Votre contact sera visible après vérification par la modération de votre région, en général sous 7 jours.');
          expect(await page.locator('.notice--success').getAttribute('role')).to.equal('status');
          expect(await text(page, 'main')).to.include('En attente de vérification par la modération');
          expect(await text(page, 'h1')).to.equal(`${agent.first} ${agent.last}`);
          await screenshot(page, journey, mode, '03-ajout-envoye');

          // A moderator approves it (the moderation screens are not built yet: the service does it).
          const moderator = await buildModerator(['52']);
          await publishContact(toActor(moderator), contactPath.split('/').pop()!);
          await syncNow();

          // The member finds it with the search box of the header.
          await typeInto(page, page.locator('#q-header'), agent.last);
          await pressAndLoad(page);
          const hit = page.locator('ol.hits > li', { hasText: `${agent.first} ${agent.last}` });
          expect(await hit.count()).to.equal(1);
          expect(await hit.innerText()).to.include('CAF de Loire-Atlantique').and.include(phone);
          await screenshot(page, journey, mode, '04-recherche-apres-validation');
          await follow(page, hit.getByRole('link', { name: `${agent.first} ${agent.last}` }));
          expect(new URL(page.url()).pathname).to.equal(contactPath);
          expect(await text(page, 'main')).not.to.include('En attente de vérification');
          expect(await text(page, '.freshness')).to.match(/^Vérifié/);
          await screenshot(page, journey, mode, '05-contact-publie');
        });
      });
    });
  }
});
