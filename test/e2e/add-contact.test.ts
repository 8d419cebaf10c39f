/**
 * The guided add form as a member meets it, in Chromium, with and without
 * JavaScript, at 1280 and 390 px: how many controls the first view shows,
 * nothing sticking out sideways, and the happy path from « Ajouter » to
 * « Merci » typed at a person's pace. The time it takes is written to
 * test-artifacts/add-contact-timing.json and into the closing notes, never
 * asserted (tests do not assert timings); the steps and page loads are.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Contact } from '../../src/contacts/contact.model';
import { syncNow } from '../../src/search/indexer';
import { buildAgency, buildContact, buildMember, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { ARTIFACTS_DIR, follow, horizontalOverflow, MODES, screenshot, typeInto, useBrowser, visibleControls } from './browser';

const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;
const WIDTHS = [1280, 390] as const;
/** What a person types per key, in ms: about 200 characters a minute. */
const TYPING_DELAY = 300;

describe('the guided add form in a browser', function () {
  this.timeout(120_000);
  const browser = useBrowser();
  let email: string;
  let cafName: string;

  before(async () => {
    const member = await buildMember({ firstName: 'Inès', lastName: 'Formulaire', departement: '44' });
    email = member.email;
    cafName = `CAF de Loire-Atlantique ${Date.now()}`;
    await buildAgency({ name: cafName, typeCode: 'CAF', commune: 'Nantes', departement: '44' });
    await buildAgency({ name: 'Centre communal d’action sociale de Saint-Sébastien-sur-Loire, pôle solidarités et accès aux droits', typeCode: 'CCAS', commune: 'Saint-Sébastien-sur-Loire', departement: '44' });
    await syncNow();
  });

  async function signIn(page: import('playwright-core').Page) {
    await page.goto('/connexion');
    await typeInto(page, page.locator('#email'), email);
    await typeInto(page, page.locator('#password'), TEST_PASSWORD);
    await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
  }

  for (const { mode, javaScript } of MODES) {
    for (const width of WIDTHS) {
      it(`shows a short first view without sideways scrolling (JavaScript ${javaScript ? 'on' : 'off'}, ${width} px)`, async () => {
        await browser.withPage({ javaScript }, async (page) => {
          await page.setViewportSize({ width, height: 900 });
          await signIn(page);
          await page.goto('/contacts/nouveau');
          const controls = await visibleControls(page);
          const heightFirst = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
          // Organisme, kind (2), first name, name, function, service, number, its kind, extension,
          // tips, six usual topics, the send button; the search field with JavaScript.
          // 18 (19 with the type-ahead) plus the two answers to « comment la personne est-elle informée ? » (docs/agents.md).
          expect(controls.length, controls.join(' ')).to.be.at.most(javaScript ? 21 : 20);
          expect(controls.filter((c) => c.startsWith('input#topic-')).length).to.be.at.most(6);
          expect(await page.locator('#newAgencyName').isVisible(), 'the new-organisme fields stay folded').to.equal(false);
          expect(await horizontalOverflow(page), 'sideways overflow').to.equal(0);
          // Opened, the folded parts still fit.
          for (const summary of await page.locator('main details:not([open]) > summary').all()) {
            if (await summary.isVisible()) await summary.click();
          }
          expect(await horizontalOverflow(page), 'sideways overflow with everything open').to.equal(0);
          const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
          await page.goto('/contacts/nouveau');
          await screenshot(page, 'formulaire-ajout', mode, `${width}px`);
          mkdirSync(ARTIFACTS_DIR, { recursive: true });
          writeFileSync(join(ARTIFACTS_DIR, `add-form-${mode}-${width}.json`), JSON.stringify({ controls: controls.length, heightFirst, heightOpen: height }, null, 2));
        });
      });
    }

    it(`goes from « Ajouter » to « Merci » at a person's typing pace (JavaScript ${javaScript ? 'on' : 'off'}, 390 px)`, async () => {
      const phone = display(nextFictionalNumber('44'));
      await browser.withPage({ javaScript }, async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page);
        let loads = 0;
        page.on('load', () => loads++);
        const started = Date.now();
        await follow(page, page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Ajouter un contact' }));
        if (javaScript) {
          await page.locator('#agency-search').pressSequentially('CAF de Loire', { delay: TYPING_DELAY });
          await page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('#agencyId')?.value ?? '') !== '');
        } else {
          await page.locator('#agencyId').selectOption({ label: `${cafName} (Nantes)` });
        }
        expect(await page.locator('#agencyId option:checked').innerText()).to.include(cafName);
        // The CAF's usual topics are the ones shown first (RSA among them).
        expect(await page.locator('#topic-RSA').isVisible()).to.equal(true);
        const firstName = javaScript ? 'Nathalie' : 'Nadège';
        await page.locator('#agentFirstName').pressSequentially(firstName, { delay: TYPING_DELAY });
        await page.locator('#agentLastName').pressSequentially('B.', { delay: TYPING_DELAY });
        await page.locator('#function').pressSequentially('Référente RSA', { delay: TYPING_DELAY });
        await page.locator('#agentInformed').check();
        await page.locator('#phone1').pressSequentially(phone, { delay: TYPING_DELAY });
        await page.locator('#topic-RSA').check();
        await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));
        const seconds = (Date.now() - started) / 1000;

        expect(await page.locator('.notice--success').innerText()).to.include('Merci');
        expect(await page.locator('h1').innerText()).to.equal(`${firstName} B.`);
        const saved = await Contact.findOne({ phoneKeys: `+33${phone.replace(/\s/g, '').slice(1)}` }).lean();
        expect(saved?.state).to.equal('pending');
        expect(saved?.topics).to.deep.equal(['RSA']);
        // One page to fill, one answer: the form itself and the card it leads to.
        expect(loads).to.equal(2);
        mkdirSync(ARTIFACTS_DIR, { recursive: true });
        writeFileSync(join(ARTIFACTS_DIR, `add-contact-timing-${mode}.json`), JSON.stringify({ seconds, pageLoads: loads, typingDelayMs: TYPING_DELAY }, null, 2));
        await screenshot(page, 'formulaire-ajout', mode, 'merci-390px');
      });
    });
  }

  it('names the agency and state of the card that already holds the number, and records « standard partagé » for the moderator', async () => {
    const agency = await buildAgency({ name: `CPAM de Loire-Atlantique ${Date.now()}`, typeCode: 'CPAM', departement: '44' });
    const existing = await buildContact(agency, { kind: 'service_line', service: 'Accueil partenaires' });
    await browser.withPage({ javaScript: false }, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page);
      await page.goto(`/contacts/nouveau?departement=44&type=CPAM`);
      await page.locator('#agencyId').selectOption({ value: String(agency._id) });
      await typeInto(page, page.locator('#agentLastName'), 'D.');
      await typeInto(page, page.locator('#function'), 'Conseillère');
      await page.locator('#agentInformed').check();
      await typeInto(page, page.locator('#phone1'), display(existing.phones[0].e164));
      await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));
      const notice = await page.locator('.notice--warning').innerText();
      expect(notice).to.include('Accueil partenaires').and.include(agency.name).and.include('Publié');
      expect(await horizontalOverflow(page)).to.equal(0);
      await screenshot(page, 'formulaire-ajout', 'nojs', 'doublon-390px');
      await page.locator('#duplicateReason-shared').check();
      await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));
      expect(await page.locator('.notice--success').innerText()).to.include('Merci');
    });
    const added = await Contact.findOne({ phoneKeys: existing.phones[0].e164, _id: { $ne: existing._id } }).lean();
    expect(added?.screeningFlags).to.deep.include({ field: 'phone1', kind: 'declared_shared_line' });
  });

  it('warns at the field before sending when a name follows « Mme » (JavaScript on), and says it once', async () => {
    await browser.withPage({ javaScript: true }, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page);
      await page.goto('/contacts/nouveau');
      await typeInto(page, page.locator('#tips'), 'Rappeler Mme Durand pour son dossier');
      await page.locator('#function').focus();
      const warning = page.locator('#tips-warning');
      await warning.waitFor({ state: 'visible' });
      expect(await warning.innerText()).to.include('un nom précédé de Mme').and.include('Décrivez le service, pas la situation');
      expect(await page.locator('#tips').getAttribute('aria-describedby')).to.include('tips-warning');
      expect(await horizontalOverflow(page)).to.equal(0);
      await screenshot(page, 'formulaire-ajout', 'js', 'avertissement-390px');
      // Rephrased, the warning goes away.
      await page.locator('#tips').fill('Demander le pôle partenaires');
      await page.locator('#function').focus();
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } }).document.querySelector('#tips-warning')?.hidden === true);
    });
  });

  it('refuses a person’s phone number in the tips with one summary and one message at the field (JavaScript off)', async () => {
    await browser.withPage({ javaScript: false }, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page);
      await page.goto('/contacts/nouveau');
      await page.locator('#agencyId').selectOption({ label: `${cafName} (Nantes)` });
      await typeInto(page, page.locator('#agentLastName'), 'B.');
      await page.locator('#agentInformed').check();
      await typeInto(page, page.locator('#phone1'), display(nextFictionalNumber('44')));
      await typeInto(page, page.locator('#tips'), 'rappeler Mme Durand au 06 12 34 56 78');
      await follow(page, page.getByRole('button', { name: 'Envoyer à la modération' }));

      const body = await page.locator('main').innerText();
      expect(body.split('secret professionnel').length - 1, 'professional secrecy said once').to.equal(1);
      expect(body.split('Nous y avons reconnu').length - 1, 'one message at the field').to.equal(1);
      expect(await page.locator('[data-error-summary] a[href="#tips"]').innerText()).to.equal('« Comment le joindre » : un numéro de téléphone personnel');
      expect(await page.locator('#tips-error').innerText()).to.include('Décrivez le service, pas la situation');
      expect(body).not.to.match(/champs? « téléphone/);
      expect(await page.locator('#tips').inputValue()).to.equal('rappeler Mme Durand au 06 12 34 56 78');
      expect(await horizontalOverflow(page)).to.equal(0);
      await screenshot(page, 'formulaire-ajout', 'nojs', 'refus-secret-390px');
    });
  });
});
