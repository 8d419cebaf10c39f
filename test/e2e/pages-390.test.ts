/**
 * The contact page, the moderation dashboard, a queue item and the account page on a phone
 * (390 px) and on a desktop (1280 px), with the demo data set: nothing runs off the side of the
 * page, the contact page names its agency once and leads back to the search it came from.
 * Screenshots go to test-artifacts/screenshots/pages-*.png for review.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { Agency } from '../../src/agencies/agency.model';
import { Contact } from '../../src/contacts/contact.model';
import { Member } from '../../src/members/member.model';
import { refreshDashboardCounts } from '../../src/moderation/dashboard.service';
import { syncNow } from '../../src/search/indexer';
import { seedDemo } from '../../seeds/demo';
import { DEMO_PASSWORD } from '../../seeds/members';
import { horizontalOverflow, screenshot, SCREENSHOT_DIR, useBrowser } from './browser';

const WIDTHS = [390, 1280] as const;

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/connexion');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter', exact: true }).press('Enter')]);
}

/** Opens `path` at `width` px, takes its picture and returns how far it overflows sideways. */
async function openAt(page: Page, path: string, width: number, name: string): Promise<number> {
  await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
  await page.goto(path);
  await screenshot(page, `pages-${name}`, 'js', `${width}`);
  return horizontalOverflow(page);
}

/** The space in CSS pixels between the bottom of a button and the top of the heading that follows it. */
async function gapBelow(page: Page, button: Locator, heading: Locator): Promise<number> {
  const [b, h] = await Promise.all([button.boundingBox(), heading.boundingBox()]);
  expect(b && h, 'button and heading are on the page').to.not.equal(null);
  return h!.y - (b!.y + b!.height);
}

/** The deepest element that sticks out past the viewport's right edge, for the failure message. */
async function widestElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ tagName: string; className: string; getBoundingClientRect(): { right: number }; children: ArrayLike<unknown> }> }; innerWidth: number }).document;
    const width = (globalThis as unknown as { innerWidth: number }).innerWidth;
    const out = Array.from(doc.querySelectorAll('main *')).filter((el) => el.getBoundingClientRect().right > width + 1);
    const leaf = out.filter((el) => !Array.from(el.children as ArrayLike<never>).some((c) => out.includes(c)));
    return leaf.slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/\s+/g, '.')}`).join(', ') || 'none in main';
  });
}

describe('pages at 390 px', function () {
  this.timeout(120_000);
  const browser = useBrowser();

  before(async function () {
    this.timeout(240_000);
    await seedDemo(() => undefined);
    await syncNow();
    await refreshDashboardCounts();
  });

  it('shows a contact found by a search with its agency once and a link back to the same search', async () => {
    await browser.withPage({ javaScript: true }, async (page) => {
      await signIn(page, 'membre@demo.test');
      // A card the demo member did not write, so that they may vote on it.
      const member = await Member.findOne({ email: 'membre@demo.test' }).lean();
      const caf = await Agency.findOne({ name: 'CAF de Loire-Atlantique' }).lean();
      const card = await Contact.findOne({ agencyId: caf!._id, state: 'published', createdBy: { $ne: member!._id } }).lean();
      await page.goto('/recherche?q=CAF%20de%20Loire-Atlantique&departement=44');
      const search = new URL(page.url());
      await Promise.all([page.waitForEvent('load'), page.locator(`.hit__title a[href^="/contacts/${card!._id}?"]`).press('Enter')]);
      const contactPath = new URL(page.url()).pathname + new URL(page.url()).search;

      expect(await page.locator('.contact__agency').count()).to.equal(1);
      expect(await page.locator('article.contact').innerText()).to.include('CAF de Loire-Atlantique');
      const back = page.getByRole('link', { name: '← Retour aux résultats' });
      expect(await back.count()).to.equal(1);
      const backUrl = new URL((await back.getAttribute('href'))!, search);
      expect(backUrl.pathname).to.equal('/recherche');
      expect(backUrl.searchParams.get('q')).to.equal('CAF de Loire-Atlantique');
      expect(backUrl.searchParams.get('departement')).to.equal('44');

      const works = page.getByRole('button', { name: 'Toujours valide' });
      await Promise.all([page.waitForEvent('load'), works.press('Enter')]);
      expect(await works.getAttribute('aria-pressed')).to.equal('true');
      expect(await page.locator('.signal-mine').first().innerText()).to.match(/^Votre avis : « Toujours valide »/);

      for (const width of WIDTHS) expect(await openAt(page, contactPath, width, 'contact'), `contact page at ${width} px`).to.equal(0);
    });
  });

  it('fits the moderation dashboard, a queue item and the account page on a phone', async () => {
    await browser.withPage({ javaScript: true }, async (page) => {
      await signIn(page, 'moderateur.52@demo.test');
      await page.goto('/moderation/file');
      const itemPath = await page.locator('a[href^="/moderation/elements/"]').first().getAttribute('href');

      for (const width of WIDTHS) {
        expect(await openAt(page, '/moderation', width, 'dashboard'), `dashboard at ${width} px`).to.equal(0);
        expect(await page.locator('.chart-scroll').count(), 'coverage grids are drawn').to.be.above(0);
        if (width === 390) {
          expect(await page.locator('.scroll-hint').first().isVisible(), 'the grid says it scrolls').to.equal(true);
          await page.locator('section[aria-labelledby="coverage-title"]').screenshot({ path: join(SCREENSHOT_DIR, 'pages-dashboard-coverage-js-390.png') });
        }
        expect(await openAt(page, itemPath!, width, 'queue-item'), `queue item at ${width} px`).to.equal(0);
        expect(await gapBelow(page, page.getByRole('button', { name: 'Je m’en occupe' }), page.locator('#notes-title')), `« Je m’en occupe » at ${width} px`).to.be.at.least(24);
        expect(await openAt(page, '/compte', width, 'account'), `account page at ${width} px`).to.equal(0);
        expect(await gapBelow(page, page.getByRole('button', { name: 'Enregistrer mon profil' }), page.locator('#security-title')), `account page at ${width} px`).to.be.at.least(24);
      }
    });
  });

  for (const javaScript of [true, false]) {
    it(`runs nothing off the side at 390 px on any page of the three journeys (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const wide: string[] = [];
      const check = async (page: Page, path: string) => {
        const res = await page.goto(path);
        expect(res?.status(), path).to.be.below(400);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) {
          wide.push(`${path}: ${overflow} px, widest: ${await widestElement(page)}`);
          await screenshot(page, 'pages-overflow', javaScript ? 'js' : 'nojs', path.replace(/\W+/g, '-'));
        }
      };
      const contact = await Contact.findOne({ state: 'published', departement: '44' }).lean();
      const agency = await Agency.findOne({ departement: '44', status: 'active' }).lean();
      const applicant = await Member.findOne({ status: 'pending' }).lean();
      const asPhone = async (page: Page) => page.setViewportSize({ width: 390, height: 844 });

      await browser.withPage({ javaScript }, async (page) => {
        await asPhone(page);
        for (const path of ['/', '/connexion', '/inscription', '/mot-de-passe-oublie', '/opposition']) await check(page, path);
        // The registration form with its errors.
        await page.goto('/inscription');
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Envoyer ma demande' }).press('Enter')]);
        if ((await horizontalOverflow(page)) > 0) wide.push('/inscription with errors');
      });
      await browser.withPage({ javaScript }, async (page) => {
        await asPhone(page);
        await signIn(page, 'membre@demo.test');
        for (const path of [
          '/', '/recherche', '/recherche?q=caf+rsa&departement=44', `/contacts/${contact!._id}`, `/contacts/${contact!._id}/modifier`,
          `/contacts/${contact!._id}/signaler`, `/contacts/${contact!._id}/utile`, '/contacts/nouveau', '/contacts/nouveau?departement=44&type=CAF',
          '/organismes?departement=44', `/organismes/${agency!._id}`, '/compte', '/compte/mot-de-passe',
        ]) await check(page, path);
        // The add form refused by the confidentiality screen.
        await page.goto('/contacts/nouveau');
        await page.locator('#tips').fill('rappeler Mme Durand au 06 12 34 56 78');
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Envoyer à la modération' }).press('Enter')]);
        if ((await horizontalOverflow(page)) > 0) wide.push('/contacts/nouveau with errors');
      });
      await browser.withPage({ javaScript }, async (page) => {
        await asPhone(page);
        await signIn(page, 'moderateur.52@demo.test');
        await page.goto('/moderation/file');
        const items = await page.locator('a[href^="/moderation/elements/"]').evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')));
        for (const path of ['/moderation/file', ...items.slice(0, 6), '/moderation', '/moderation/membres', `/moderation/contacts/${contact!._id}/historique`, '/moderation/journal']) await check(page, path);
        if (applicant) await check(page, `/moderation/membres/${applicant._id}`);
      });
      await browser.withPage({ javaScript }, async (page) => {
        await asPhone(page);
        await signIn(page, 'admin@demo.test');
        for (const path of ['/admin', '/admin/journal', '/admin/moderateurs', '/admin/motifs', '/admin/seuils']) await check(page, path);
      });
      expect(wide, 'pages wider than the phone').to.deep.equal([]);
    });
  }
});
