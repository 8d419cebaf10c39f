/**
 * The third journey in Chromium: a moderator checks the entries of their
 * région. The queue names each item's agency and person, the flagged words
 * are highlighted on the item, a plain new card is approved from the list in
 * two clicks and two page loads, with JavaScript and without, at 390 px with
 * nothing sticking out sideways; axe finds nothing serious on these pages.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { Contact } from '../../src/contacts/contact.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildMember, buildModerator, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { axeCheck, follow, horizontalOverflow, MODES, screenshot, typeInto, useBrowser } from './browser';

describe('the moderation journey in a browser', function () {
  this.timeout(120_000);
  const browser = useBrowser();
  let moderatorEmail: string;
  let cafId: string;
  let memberEmail: string;

  before(async () => {
    moderatorEmail = (await buildModerator(['52'], { firstName: 'Yann', lastName: 'Modérateur' })).email;
    memberEmail = (await buildMember({ firstName: 'Inès', lastName: 'Proposante' })).email;
    cafId = String((await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF', commune: 'Nantes' }))._id);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  /** A member proposes a card through the form; returns its id. */
  async function propose(fields: Record<string, string>): Promise<string> {
    const member = await signedInAgent(memberEmail, TEST_PASSWORD);
    const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing',
      agencyId: cafId,
      kind: 'agent',
      agentInformed: 'consent',
      phone1: displayNumber(nextFictionalNumber()),
      phone1Kind: 'direct',
      phone2Kind: 'direct',
      topics: 'RSA',
      ...fields,
    });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    return String(res.headers.location).split('/').pop()!;
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto('/connexion');
    await typeInto(page, page.locator('#email'), moderatorEmail);
    await typeInto(page, page.locator('#password'), TEST_PASSWORD);
    await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
  }

  for (const { mode, javaScript } of MODES) {
    it(`names the agency in the queue, highlights the flagged words and approves from the list in two clicks (JavaScript ${javaScript ? 'on' : 'off'}, 390 px)`, async () => {
      const first = mode === 'js' ? 'Nathalie' : 'Nadège';
      const plainId = await propose({ agentFirstName: first, agentLastName: 'Bertin', function: 'Référente RSA' });
      const flaggedId = await propose({ agentFirstName: 'Paul', agentLastName: `Simon-${mode}`, function: 'Conseiller', tips: 'Rappeler Mme Durand pour son dossier' });
      const flaggedItem = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(flaggedId) }).lean();

      await browser.withPage({ javaScript }, async (page) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page);
        await page.goto('/moderation/file');
        const title = `CAF de Loire-Atlantique — ${first} B., Référente RSA`;
        const line = page.locator('li.queue-item', { has: page.getByRole('link', { name: title }) });
        expect(await line.count(), 'the queue line names the agency and the person').to.equal(1);
        expect(await line.innerText()).to.include('Nouveau contact');
        expect(await horizontalOverflow(page), 'queue at 390 px').to.equal(0);
        // The flagged card comes before the plain one and says why.
        const titles = await page.locator('.queue-item__title').allInnerTexts();
        expect(titles.findIndex((t) => t.includes('Paul S.'))).to.be.lessThan(titles.indexOf(title));
        await screenshot(page, 'moderation', mode, 'file-390px');

        // The flagged item: the words found are marked.
        await follow(page, page.locator(`a[href="/moderation/elements/${flaggedItem!._id}"]`));
        expect(await page.locator('main mark:not(.flag)').allInnerTexts()).to.deep.equal(['Mme Durand']);
        expect(await horizontalOverflow(page), 'item at 390 px').to.equal(0);
        await screenshot(page, 'moderation', mode, 'element-signale-390px');

        // Approving the plain card from the list: open the confirmation, confirm. Two clicks, two page loads.
        await page.goto('/moderation/file');
        let loads = 0;
        page.on('load', () => loads++);
        await line.locator('summary', { hasText: 'Approuver sans ouvrir' }).click();
        await follow(page, line.getByRole('button', { name: 'Confirmer la publication' }));
        expect(await page.locator('.notice--success').innerText()).to.include(`Fiche publiée : ${title}.`);
        expect(loads, 'page loads to approve from the list').to.equal(1);
        expect(new URL(page.url()).pathname).to.equal('/moderation/file');
        expect(await page.getByRole('link', { name: title }).count()).to.equal(0);
        expect(await horizontalOverflow(page)).to.equal(0);
        await screenshot(page, 'moderation', mode, 'approuve-390px');
      });
      expect((await Contact.findById(plainId).lean())?.state).to.equal('published');
      expect((await Contact.findById(flaggedId).lean())?.state).to.equal('pending');
    });
  }

  it('shows the queue and an item at 1280 px, with no serious or critical axe violation', async () => {
    const flaggedId = await propose({ agentFirstName: 'Léa', agentLastName: 'Marchand', function: 'Référente', tips: 'Demander Mme Garnier pour son dossier' });
    const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(flaggedId) }).lean();
    await browser.withPage({ javaScript: true, bypassCSP: true }, async (page) => {
      await signIn(page);
      await page.goto('/moderation/file');
      await axeCheck(page, 'file de modération');
      await screenshot(page, 'moderation', 'js', 'file-1280px');
      await page.goto(`/moderation/elements/${item!._id}`);
      expect(await page.locator('main mark').allInnerTexts()).to.include('Mme Garnier');
      await axeCheck(page, 'élément de la file');
      await screenshot(page, 'moderation', 'js', 'element-1280px');
    });
  });
});
