import { expect } from 'chai';
import mongoose from 'mongoose';
import type { AgencyDoc } from '../../src/agencies/agency.model';
import type { ContactDoc } from '../../src/contacts/contact.model';
import { Member, type MemberDoc } from '../../src/members/member.model';
import { toActor } from '../../src/members/members.presenter';
import { syncNow } from '../../src/search/indexer';
import { confirmContact, rateContact } from '../../src/signals/signals.service';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, TEST_PASSWORD } from '../support/factories';

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;
/** The HTML with the entities Handlebars writes in attributes turned back into characters. */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&#x2F;/g, '/').replace(/&amp;/g, '&');
const backLink = (html: string) => /<p class="back-link"><a href="([^"]*)">← ([^<]*)<\/a>/.exec(decoded(html));

describe('contact page routes', () => {
  let agency: AgencyDoc;
  let member: Agent;
  let memberId: mongoose.Types.ObjectId;

  before(async () => {
    agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
    const m = await buildMember();
    memberId = m._id;
    member = await signedInAgent(m.email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('GET /contacts/:id', () => {
    it('names the agency once, as a link to its page', async () => {
      const card = await buildContact(agency);

      const res = await member.get(`/contacts/${card._id}`);

      expect(res.status).to.equal(200);
      const article = res.text.slice(res.text.indexOf('<article'));
      expect(occurrences(article, 'CAF de Loire-Atlantique')).to.equal(1);
      expect(article).to.include(`<a href="/organismes/${agency._id}">CAF de Loire-Atlantique</a>`);
    });

    it('links back to the search page when it was not opened from results', async () => {
      const card = await buildContact(agency);

      const res = await member.get(`/contacts/${card._id}`);

      expect(backLink(res.text)?.slice(1)).to.deep.equal(['/recherche', 'Rechercher un contact']);
    });

    it('links back to the same search, query and filters kept', async () => {
      const card = await buildContact(agency);
      const search = '/recherche?q=caf&departement=44&thematique=RSA&page=2';

      const res = await member.get(`/contacts/${card._id}`).query({ retour: search });

      expect(backLink(res.text)?.slice(1)).to.deep.equal([search, 'Retour aux résultats']);
    });

    it('falls back to /recherche for anything but a same-site search path', async () => {
      const card = await buildContact(agency);
      const attempts = [
        '//evil.example',
        '//evil.example/recherche?q=x',
        'https://evil',
        'https://evil.example/recherche',
        '/\\evil.example',
        '/recherche\\..\\@evil.example',
        '/recherche/../admin',
        '/recherchex',
        'javascript:alert(1)',
        '/admin',
        '',
      ];

      for (const retour of attempts) {
        const res = await member.get(`/contacts/${card._id}`).query({ retour });

        expect(res.status, retour).to.equal(200);
        expect(backLink(res.text)?.[1], retour).to.equal('/recherche');
      }
    });

    it('shows the member’s earlier votes as pressed buttons and in words', async () => {
      const card = await buildContact(agency);
      const actor = toActor((await Member.findById(memberId).lean<MemberDoc>())!);
      await rateContact(actor, String(card._id), { useful: true, tags: [] });
      await confirmContact(actor, String(card._id), 'still_valid');

      const res = await member.get(`/contacts/${card._id}`);

      expect(res.text).to.match(/value="still_valid" aria-pressed="true"/);
      expect(res.text).to.match(/value="left" aria-pressed="false"/);
      expect(res.text).to.match(/value="oui" aria-pressed="true"/);
      expect(res.text).to.match(/value="non" aria-pressed="false"/);
      expect(res.text).to.include('Votre avis : « Toujours valide »');
      expect(res.text).to.include('Votre avis : « oui, il m’a été utile »');
    });

    it('presses no button before the member has voted', async () => {
      const card = await buildContact(agency);

      const res = await member.get(`/contacts/${card._id}`);

      expect(res.text).to.not.include('aria-pressed="true"');
      expect(res.text).to.not.include('Votre avis');
    });

    it('hides the count of confirmations at 2 and shows it from 3', async () => {
      const card = await buildContact(agency);
      const confirmBy = async (c: ContactDoc, n: number) => {
        for (let i = 0; i < n; i++) await confirmContact(toActor(await buildMember()), String(c._id), 'still_valid');
      };

      await confirmBy(card, 2);
      const two = await member.get(`/contacts/${card._id}`);
      await confirmBy(card, 1);
      const three = await member.get(`/contacts/${card._id}`);

      expect(two.text).to.not.include('confirmé par');
      expect(three.text).to.include('confirmé par 3 collègues');
    });

    it('hides the usefulness at 2 votes and shows it from 3', async () => {
      const card = await buildContact(agency);
      const rateBy = async (n: number) => {
        for (let i = 0; i < n; i++) await rateContact(toActor(await buildMember()), String(card._id), { useful: true, tags: [] });
      };

      await rateBy(2);
      const two = await member.get(`/contacts/${card._id}`);
      await rateBy(1);
      const three = await member.get(`/contacts/${card._id}`);

      expect(two.text).to.not.include('débloquée');
      expect(three.text).to.include('3 situations débloquées');
    });
  });

  describe('POST /contacts/:id/confirmation', () => {
    it('comes back to the contact page still leading to the same search, never elsewhere', async () => {
      const card = await buildContact(agency);
      const search = '/recherche?q=caf&departement=44';
      const page = `/contacts/${card._id}?${new URLSearchParams({ retour: search })}`;

      const kept = await submitForm(member, page, `/contacts/${card._id}/confirmation`, { kind: 'works', retour: search });
      const refused = await submitForm(member, page, `/contacts/${card._id}/confirmation`, { kind: 'works', retour: '//evil.example' });
      const form = await member.get(page);

      expect(kept.status).to.equal(303);
      expect(kept.headers.location).to.equal(`${page}#signaux`);
      expect(refused.headers.location).to.equal(`/contacts/${card._id}#signaux`);
      expect(decoded(form.text)).to.include(`<input type="hidden" name="retour" value="${search}">`);
    });
  });

  describe('GET /contacts/:id/utile', () => {
    it('starts from the member’s earlier « oui » and tags', async () => {
      const card = await buildContact(agency);
      const actor = toActor((await Member.findById(memberId).lean<MemberDoc>())!);
      await rateContact(actor, String(card._id), { useful: true, tags: [] });

      const res = await member.get(`/contacts/${card._id}/utile`);

      expect(res.status).to.equal(200);
      expect(res.text).to.match(/name="useful" value="oui" checked/);
      expect(res.text).to.not.match(/name="useful" value="non" checked/);
    });

    it('pre-selects nothing before a vote', async () => {
      const card = await buildContact(agency);

      const res = await member.get(`/contacts/${card._id}/utile`);

      expect(res.text).to.not.match(/name="useful" value="(oui|non)" checked/);
    });
  });

  describe('GET /recherche', () => {
    it('links each result to its contact page with the search to go back to', async () => {
      const card = await buildContact(agency, { service: 'Ligne partenaires retour' });
      await syncNow();

      const res = await member.get('/recherche').query({ q: 'partenaires retour', departement: '44' });

      expect(res.status).to.equal(200);
      const href = new RegExp(`href="/contacts/${card._id}\\?retour=([^"]+)"`).exec(decoded(res.text));
      expect(href).to.not.equal(null);
      const back = new URLSearchParams(`retour=${href![1]}`).get('retour')!;
      expect(back).to.match(/^\/recherche\?/);
      expect(new URLSearchParams(back.split('?')[1]).get('q')).to.equal('partenaires retour');
      expect(new URLSearchParams(back.split('?')[1]).get('departement')).to.equal('44');
    });
  });
});
