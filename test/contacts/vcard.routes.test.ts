import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const KNOWN = ['BEGIN', 'VERSION', 'FN', 'N', 'ORG', 'TITLE', 'TEL', 'EMAIL', 'NOTE', 'END'];

/** RFC 2425 §5.8.1: a line break followed by one space or tab continues the previous line. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
/** Splits a text value on unescaped `sep` and unescapes each part (RFC 2426 §4). */
function textParts(value: string, sep = ';'): string[] {
  const parts: string[] = [''];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const n = value[++i];
      parts[parts.length - 1] += n === 'n' || n === 'N' ? '\n' : n;
    } else if (c === sep) parts.push('');
    else parts[parts.length - 1] += c;
  }
  return parts;
}

describe('contacts.routes: vCards cannot be bent by what members type', () => {
  let member: Agent;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('POST /contacts/nouveau', () => {
    it('refuses an extension that is not digits, in French on its field, and keeps what was typed', async () => {
      const agency = await buildAgency();
      const before = await Contact.countDocuments({});
      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
        agencyMode: 'existing', agencyId: String(agency._id), kind: 'service_line', service: 'Accueil des partenaires',
        phone1: displayNumber(nextFictionalNumber()), phone1Kind: 'service', phone1Extension: '1\r\nFN:Evil', phone2Kind: 'direct', topics: 'RSA',
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Le poste ne contient que des chiffres');
      expect(res.text).to.match(/id="phone1Extension"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="phone1Extension"/);
      expect(res.text).to.include('value="Accueil des partenaires"');
      expect(await Contact.countDocuments({})).to.equal(before);
    });
  });

  describe('GET /contacts/:id/vcard', () => {
    it('escapes commas, semicolons, backslashes, line feeds and bare CRs, folds at 75 octets, and gives the values back', async () => {
      const agency = await buildAgency({ name: 'CAF de Loire-Atlantique; service, « partenaires »' });
      const e164 = nextFictionalNumber();
      const values = {
        agentFirstName: 'Anne-Sophie',
        agentLastName: 'Lé;Gall,\\x',
        function: 'Conseillère, référente; RSA\r\nFN:Evil',
        service: 'Pôle accès aux droits\rEMAIL:evil@example.org',
        hours: 'Lun, mar; jeu\r9h–12h\nTEL:+33100000000',
        tips: `${'Demander le pôle « accès aux droits » puis taper 2 — ça marche très bien 🙂 '.repeat(3)}\r\nEND:VCARD`,
      };
      const contact = await buildContact(agency, { kind: 'agent', ...values, phones: [{ e164, kind: 'direct', numberType: 'fixed', extension: '123' }], phoneKeys: [e164] });

      const res = await member.get(`/contacts/${contact._id}/vcard`);

      expect(res.status).to.equal(200);
      const physical = res.text.split('\r\n');
      expect(physical.pop()).to.equal('');
      for (const line of physical) {
        expect(octets(line), line).to.be.at.most(75);
        expect(line, 'no bare CR or LF inside a line').not.to.match(/[\r\n]/);
      }
      const lines = unfold(res.text).split('\r\n').filter(Boolean);
      const props = lines.map((l) => {
        const colon = l.indexOf(':');
        return { name: l.slice(0, colon).split(';')[0], value: l.slice(colon + 1) };
      });
      expect(props.map((p) => p.name).filter((n) => !KNOWN.includes(n)), 'unknown properties').to.deep.equal([]);
      expect(props.filter((p) => p.name === 'FN')).to.have.length(1);
      expect(props.filter((p) => p.name === 'END')).to.have.length(1);
      expect(props.filter((p) => p.name === 'EMAIL')).to.have.length(0);
      expect(props.filter((p) => p.name === 'TEL').map((p) => p.value)).to.deep.equal([`${e164};ext=123`]);
      const get = (name: string) => props.find((p) => p.name === name)!.value;
      const lf = (s: string) => s.replace(/\r\n?/g, '\n');
      expect(textParts(get('FN'))).to.deep.equal([`${values.agentFirstName} ${values.agentLastName}`]);
      expect(textParts(get('N'))).to.deep.equal([values.agentLastName, values.agentFirstName, '', '', '']);
      expect(textParts(get('ORG'))).to.deep.equal([agency.name, lf(values.service)]);
      expect(textParts(get('TITLE'))).to.deep.equal([lf(values.function)]);
      expect(textParts(get('NOTE'))).to.deep.equal([`Horaires : ${lf(values.hours)}\nComment le joindre : ${lf(values.tips).trim()}`]);
    });
  });
});
