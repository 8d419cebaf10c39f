/**
 * The spreadsheet import as a member meets it, in Chromium, with and without JavaScript, at 1280
 * and 390 px: upload, the dry run, an unknown organisme proposed, confirmation, progress, result.
 * Nothing may stick out sideways; screenshots of the preview and the result go to
 * test-artifacts/screenshots for review.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { syncNow } from '../../src/search/indexer';
import { buildAgency, buildContact, buildMember, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { csvUtf8Bom, display, HEADER } from '../imports/fixtures';
import { horizontalOverflow, MODES, screenshot, useBrowser } from './browser';

const WIDTHS = [1280, 390] as const;

describe('the spreadsheet import in a browser', function () {
  this.timeout(120_000);
  const browser = useBrowser();
  let email: string;
  const caf = 'CAF de Loire-Atlantique, antenne de l’île de Nantes';
  let existing: string;

  before(async () => {
    const member = await buildMember({ firstName: 'Inès', lastName: 'Tableur', departement: '44' });
    email = member.email;
    const agency = await buildAgency({ name: caf, typeCode: 'CAF', commune: 'Nantes', departement: '44' });
    existing = (await buildContact(agency, { service: 'Pôle partenaires' })).phones[0].e164;
    await syncNow();
  });

  async function signIn(page: Page) {
    await page.goto('/connexion');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/connexion')), page.getByRole('button', { name: 'Se connecter', exact: true }).click()]);
  }

  function file() {
    const n = () => display(nextFictionalNumber('44'));
    const a = n();
    return csvUtf8Bom([
      HEADER,
      [caf, 'Service partenaires', '', '', '', a, '', 'Demander la cellule partenaires, rappeler après 14 h'],
      [
        caf,
        'Accueil',
        'Durand-Lefèvre-Montmorency',
        'Marie-Hélène',
        'Conseillère en économie sociale et familiale',
        display(existing),
        'marie-helene.durand-lefevre@caf44.example',
        '',
      ],
      [caf, 'Cellule RSA', '', '', '', a, '', ''],
      [caf, 'Cellule expulsions', '', '', '', n(), '', 'Usager 2 55 08 14 168 025 38 à rappeler'],
      [caf, 'Service sans numéro', '', '', '', '', '', ''],
      ['Centre communal d’action sociale de Saint-Sébastien-sur-Loire, pôle solidarités', 'Accueil', '', '', '', n(), '', ''],
    ]);
  }

  for (const { mode, javaScript } of MODES) {
    it(`shows the progress of an import a failure interrupted, and resumes it (JavaScript ${javaScript ? 'on' : 'off'}, 390 px)`, async () => {
      await browser.withPage({ javaScript }, async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page);
        await page.goto('/contacts/import');
        const rows = [HEADER, ...[1, 2, 3].map((i) => [caf, `Service repris ${mode} ${i}`, '', '', '', display(nextFictionalNumber('44')), '', ''])];
        await page.locator('#fichier').setInputFiles({ name: 'reprise.csv', mimeType: 'text/csv', buffer: csvUtf8Bom(rows) });
        await Promise.all([page.waitForURL(/\/contacts\/import\/[\w-]{20,}/), page.getByRole('button', { name: 'Lire le fichier' }).click()]);
        const id = /\/contacts\/import\/([\w-]+)/.exec(page.url())![1];
        // Confirmed, then the writer died before its first line (its lease has run out).
        await mongoose.connection
          .collection('import_drafts')
          .updateOne(
            { _id: id as unknown as mongoose.Types.ObjectId },
            { $set: { status: 'confirming', lease: { owner: 'panne', until: new Date(Date.now() - 1000) } } },
          );

        await page.goto(`/contacts/import/${id}`);
        expect(await page.locator('h1').innerText()).to.equal('Import en cours');
        expect(await page.locator('[data-import-status]').innerText()).to.equal('0 sur 3 fiches enregistrées.');
        expect(await horizontalOverflow(page), 'sideways overflow on the progress page').to.equal(0);
        await screenshot(page, 'import-progression', mode, '390px');
        await page.getByRole('button', { name: 'Relancer l’import' }).click();
        await page.getByRole('heading', { name: 'Import terminé' }).waitFor({ timeout: 20_000 });

        expect(await page.locator('main').innerText()).to.include('3 fiches ont été créées');
        expect(await Contact.countDocuments({ importBatchId: id })).to.equal(3);
      });
    });

    for (const width of WIDTHS) {
      it(`uploads, reads the dry run and imports (JavaScript ${javaScript ? 'on' : 'off'}, ${width} px)`, async () => {
        await browser.withPage({ javaScript }, async (page) => {
          await page.setViewportSize({ width, height: 900 });
          await signIn(page);
          await page.goto('/contacts/import');
          expect(await horizontalOverflow(page), 'sideways overflow on the upload form').to.equal(0);
          await page.locator('#fichier').setInputFiles({ name: 'partenaires.csv', mimeType: 'text/csv', buffer: file() });
          await Promise.all([page.waitForURL(/\/contacts\/import\/[\w-]{20,}/), page.getByRole('button', { name: 'Lire le fichier' }).click()]);

          expect(await page.locator('h1').innerText()).to.equal('Importer un tableur : aperçu');
          const outcomes = await page.locator('.import-line .badge').allInnerTexts();
          expect(outcomes).to.deep.equal([
            'Nouvelle fiche',
            'Déjà dans l’annuaire',
            'En double dans le fichier',
            'Refusée : secret professionnel',
            'Pas de numéro valide',
            'Organisme à choisir',
          ]);
          expect(await page.locator('main').innerText()).not.to.include('168 025');
          expect(await horizontalOverflow(page), 'sideways overflow on the preview').to.equal(0);
          await screenshot(page, 'import-apercu', mode, `${width}px`);

          await page.locator('#org0').selectOption('new:CCAS');
          await Promise.all([page.waitForURL(/#apercu$/), page.getByRole('button', { name: 'Mettre à jour l’aperçu' }).click()]);
          expect(await page.locator('.import-line .badge').last().innerText()).to.equal('Nouvelle fiche');
          expect(await horizontalOverflow(page), 'sideways overflow after the update').to.equal(0);
          await screenshot(page, 'import-apercu-corrige', mode, `${width}px`);

          const id = /\/contacts\/import\/([\w-]+)/.exec(page.url())![1];
          await page.getByRole('button', { name: 'Importer 2 fiches' }).click();
          await page.getByRole('heading', { name: 'Import terminé' }).waitFor({ timeout: 20_000 });
          expect(await page.locator('main').innerText()).to.include('2 fiches ont été créées');
          expect(await horizontalOverflow(page), 'sideways overflow on the result').to.equal(0);
          await screenshot(page, 'import-resultat', mode, `${width}px`);
          expect(await Contact.countDocuments({ importBatchId: id })).to.equal(2);
        });
      });
    }
  }
});
