/**
 * « Mes contacts » in the browser (docs/my-contacts.md): a member adds a result to their
 * list from the search page (without reloading when JavaScript is on, by the form when it is
 * off), finds it on « Mes contacts » through the navigation, at 390 px and 1280 px with
 * nothing wider than the screen; the print sheet of twenty contacts fits one A4 page with
 * every number in its text. Screenshots and the PDF go to test-artifacts/ for review.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { actorById } from '../../src/members/members.service';
import { addMyContact } from '../../src/my-contacts/my-contacts.service';
import { syncNow } from '../../src/search/indexer';
import { buildAgency, buildContact, buildMember, displayNumber } from '../support/factories';
import { ARTIFACTS_DIR, axeCheck, follow, horizontalOverflow, MODES, screenshot, signIn, useBrowser, walkFocus } from './browser';
import { pdfPageCount, pdfText } from './pdf-text';

const DAY = 24 * 3600 * 1000;

describe('my contacts (browser)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  const emails: Record<string, string> = {};
  let printEmail: string;
  const printedNumbers: string[] = [];

  before(async () => {
    for (const { mode } of MODES) emails[mode] = (await buildMember({ firstName: 'Lou', lastName: `Favoris ${mode}` })).email;
    const agencies = [
      await buildAgency({ name: 'Caisse d’allocations familiales de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' }),
      await buildAgency({ name: 'Caisse primaire d’assurance maladie de Loire-Atlantique', typeCode: 'CPAM', commune: 'Nantes' }),
      await buildAgency({ name: 'France Travail – agence de Saint-Herblain', typeCode: 'FT', commune: 'Saint-Herblain', postcode: '44800' }),
      await buildAgency({ name: 'Maison départementale des personnes handicapées', typeCode: 'MDPH', commune: 'Nantes' }),
      await buildAgency({ name: 'Préfecture de la Loire-Atlantique – bureau des étrangers', typeCode: 'PREF', commune: 'Nantes' }),
    ];
    const printer = await buildMember({ firstName: 'Imprime', lastName: 'Vingt' });
    printEmail = printer.email;
    const actor = (await actorById(String(printer._id)))!;
    const names = ['Sophie', 'Nadia', 'Karim', 'Élodie', 'Maximilien-Alexandre', 'Jean', 'Awa', 'Thomas', 'Chloé', 'Youssef'];
    for (let i = 0; i < 20; i++) {
      const agent = i % 2 === 0;
      const c = await buildContact(agencies[i % agencies.length], {
        kind: agent ? 'agent' : 'service_line',
        agentFirstName: agent ? names[i / 2] : undefined,
        agentLastName: agent ? 'Exemple-Longuenom' : undefined,
        function: agent ? 'Conseillère référente des partenaires sociaux' : undefined,
        service: agent ? 'Pôle solidarité, accès aux droits et insertion' : `Ligne partenaires ${i + 1} – accueil des travailleurs sociaux`,
        hours: 'Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 16 h 30',
        lastVerifiedAt: new Date(Date.now() - (i + 1) * 20 * DAY),
        counters: { confirmations: i % 5, helpful: i % 4, notHelpful: 0, reports: 0 },
      });
      printedNumbers.push(displayNumber(c.phones[0].e164));
      await addMyContact(actor, String(c._id));
    }
    await syncNow();
  });

  for (const { mode, javaScript } of MODES) {
    it(`adds a search result to « Mes contacts » and lists it there, at 390 and 1280 px (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      await browser.withPage({ javaScript }, async (page) => {
        await signIn(page, emails[mode]);
        await page.goto('/recherche?q=caisse+allocations');
        const first = page.locator('article.hit').first();
        const title = (await first.locator('.hit__title a').innerText()).trim();
        const button = first.getByRole('button', { name: /Ajouter à mes contacts/ });
        if (javaScript) {
          await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
          await button.click();
          await first.getByRole('button', { name: /Retirer de mes contacts/ }).waitFor();
          expect(await first.locator('.my-contact-toggle__status').innerText()).to.equal('Ajouté à vos contacts.');
          expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed), 'the page was not reloaded').to.equal(true);
        } else {
          await follow(page, button);
          expect(page.url()).to.include('/recherche?q=caisse');
          expect(await page.locator('.notice--success').innerText()).to.equal('Ajouté à vos contacts.');
          expect(await page.locator('article.hit').first().getByRole('button', { name: /Retirer de mes contacts/ }).count()).to.equal(1);
        }

        await screenshot(page, 'mes-contacts-resultats', mode, 'added');
        await follow(page, page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes contacts' }));
        expect(new URL(page.url()).pathname).to.equal('/mes-contacts');
        expect(await page.locator('.my-group .hit__title').first().innerText()).to.include(title);
        expect(await page.locator('.my-group .hit__trust').first().innerText()).to.match(/^vérifié /);
        for (const width of [390, 1280]) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
          await page.goto('/mes-contacts');
          expect(await horizontalOverflow(page), `sideways overflow at ${width} px`).to.equal(0);
          await screenshot(page, 'mes-contacts', mode, `${width}`);
        }
      });
    });
  }

  it('passes axe-core and shows the focus at every stop on Mes contacts and its print sheet', async () => {
    await browser.withPage({ javaScript: true, bypassCSP: true }, async (page) => {
      await signIn(page, printEmail);
      for (const path of ['/mes-contacts', '/mes-contacts/imprimer']) {
        await page.goto(path);
        await axeCheck(page, path);
        const walk = await walkFocus(page);
        expect(walk.invisible, `stops without a visible focus on ${path}`).to.deep.equal([]);
      }
    });
  });

  it('prints twenty contacts on one A4 page, number first, without the navigation', async () => {
    await browser.withPage({ javaScript: true }, async (page) => {
      await signIn(page, printEmail);
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.goto('/mes-contacts');
        expect(await horizontalOverflow(page), `Mes contacts with 20 cards, ${width} px`).to.equal(0);
        await screenshot(page, 'mes-contacts-20', 'js', `${width}`);
        await page.goto('/mes-contacts/imprimer');
        expect(await horizontalOverflow(page), `print sheet on screen, ${width} px`).to.equal(0);
        await screenshot(page, 'mes-contacts-imprimer', 'js', `${width}`);
      }
      // A4 at 96 px per inch, for the picture of the printed page.
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      writeFileSync(join(ARTIFACTS_DIR, 'mes-contacts-imprimer.pdf'), pdf);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'screenshots', 'mes-contacts-imprimer-print-media.png'), fullPage: true });

      const pages = pdfPageCount(pdf);
      const text = pdfText(pdf);
      process.stdout.write(`      print sheet: ${pages} page(s), ${pdf.length} bytes\n`);
      expect(pages, 'A4 pages for 20 contacts').to.equal(1);
      const missing = printedNumbers.filter((n) => !text.replace(/\s+/g, ' ').includes(n));
      expect(missing, `numbers missing from the PDF text:\n${text.slice(0, 800)}`).to.deep.equal([]);
      expect(text).to.not.include('Se déconnecter');
      expect(text).to.not.include('Rechercher');
    });
  });
});
