/**
 * The listed agent's own page in Chromium (docs/agents.md), as an agent opens
 * it from the information e-mail: at 390 and 1280 px, JavaScript on and off,
 * no sideways scroll, axe without serious or critical violations; confirm in
 * one click, correct, and withdraw in one click. Screenshots go to
 * test-artifacts/screenshots/agent-*.png.
 */
import { expect } from 'chai';
import { issueAgentLink } from '../../src/agents/agent-links';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { ContactRevision } from '../../src/contacts/contact-revision.model';
import { buildAgency, buildContact, nextFictionalNumber } from '../support/factories';
import { axeCheck, follow, horizontalOverflow, MODES, screenshot, typeInto, useBrowser } from './browser';

describe('browser: the listed agent’s own page', function () {
  this.timeout(120_000);
  const browser = useBrowser();

  async function card(mode: string): Promise<ContactDoc> {
    const agency = await buildAgency({ name: 'Caisse d’allocations familiales de Loire-Atlantique — service des partenaires et de l’accès aux droits', typeCode: 'CAF' });
    return buildContact(agency, {
      kind: 'agent',
      agentFirstName: 'Nathalie',
      agentLastName: `Bernard-${mode}`,
      function: 'Référente RSA',
      service: 'Pôle insertion',
      hours: 'lun–ven 9h–12h',
      email: `nathalie.bernard.${mode}.${Date.now()}@caf-44.example`,
      phones: [{ e164: nextFictionalNumber('44'), kind: 'direct', numberType: 'fixed' }],
      publishedAt: new Date(),
    });
  }

  for (const { mode, javaScript } of MODES) {
    it(`confirms in one click, corrects and withdraws, without sideways scroll (JavaScript ${javaScript ? 'on' : 'off'}, 390 and 1280 px)`, async () => {
      const c = await card(mode);
      const token = await issueAgentLink(c, 'information');
      await browser.withPage({ javaScript }, async (page) => {
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`/agent/${token}`);
          expect(await page.locator('h1').innerText()).to.equal('Vos coordonnées dans Ligne directe');
          expect(await page.locator('main').innerText()).to.include(`Nathalie Bernard-${mode}`).and.include('Référente RSA');
          expect(await horizontalOverflow(page), `overflow at ${width} px`).to.equal(0);
          await screenshot(page, 'agent', mode, `page-${width}px`);
        }
        await follow(page, page.getByRole('button', { name: 'Mes coordonnées sont à jour' }));
        expect(await page.locator('.notice--success').innerText()).to.include('confirmée par vous');
        expect(await page.locator('.freshness').innerText()).to.match(/^Confirmé par vous le /);
        expect((await Contact.findById(c._id).lean<ContactDoc>())!.agentConfirmedAt).to.be.instanceOf(Date);

        await follow(page, page.getByRole('link', { name: 'Corriger mes coordonnées' }));
        expect(await horizontalOverflow(page), 'correction form at 390 px').to.equal(0);
        await page.locator('#function').fill('');
        await typeInto(page, page.locator('#function'), 'Responsable du pôle insertion');
        await screenshot(page, 'agent', mode, 'corriger-390px');
        await follow(page, page.getByRole('button', { name: 'Envoyer ma correction' }));
        expect(await page.locator('.notice--success').innerText()).to.include('transmise à la modération');
        expect(await ContactRevision.countDocuments({ contactId: c._id, fromAgent: true, status: 'pending' })).to.equal(1);

        await follow(page, page.getByRole('button', { name: 'Retirer mes coordonnées de l’annuaire' }));
        expect(await page.locator('h1').innerText()).to.equal('Vos coordonnées sont retirées');
        await screenshot(page, 'agent', mode, 'retrait-390px');
        expect((await Contact.findById(c._id).lean<ContactDoc>())!.state).to.equal('restricted');
        const again = await page.goto(`/agent/${token}`);
        expect(again?.status()).to.equal(404);
      });
    });
  }

  it('has no serious or critical axe violation on the page and the correction form (1280 px)', async () => {
    const c = await card('axe');
    const token = await issueAgentLink(c, 'information');
    await browser.withPage({ javaScript: true, bypassCSP: true }, async (page) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`/agent/${token}`);
      await axeCheck(page, 'agent page');
      await page.goto(`/agent/${token}/corriger`);
      await axeCheck(page, 'agent correction form');
    });
  });
});
