import { expect } from 'chai';
import {
  FICTION_RANGES,
  fictionalPhone,
  formatForDisplay,
  isFictionalNumber,
  parsePhone,
  toTelHref,
  type ParsedPhone,
  type ParsePhoneOptions,
  type PhoneErrorCode,
} from '../../src/contacts/phone';
import { listDepartements } from '../../src/reference/territories';

function parsed(input: string, options?: ParsePhoneOptions): ParsedPhone {
  const result = parsePhone(input, options);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return result.phone;
}

function errorOf(input: string): { code: PhoneErrorCode; message: string } {
  const result = parsePhone(input);
  if (result.ok) throw new Error(`${input} was accepted as ${result.phone.e164}`);
  return result.error;
}

describe('phone', () => {
  describe('parsePhone()', () => {
    it('normalises a metropolitan fixed line to E.164 with a French display', () => {
      const phone = parsed('02 40 12 34 56');

      expect(phone).to.deep.equal({
        e164: '+33240123456', display: '02 40 12 34 56', type: 'fixed', country: 'FR', fictional: false, warnings: [],
      });
    });

    it('accepts the usual ways of typing the same number', () => {
      const inputs = [
        '0240123456', '02.40.12.34.56', '02-40-12-34-56', '02/40/12/34/56', '+33 2 40 12 34 56', '+33240123456',
        '+33 (0)2 40 12 34 56', '+33 0 2 40 12 34 56', '0033 2 40 12 34 56', '  02 40 12 34 56 ',
        '02\u00a040\u00a012\u00a034\u00a056', '０２ ４０ １２ ３４ ５６', '02–40–12–34–56',
      ];

      const numbers = inputs.map((input) => parsed(input).e164);

      expect(new Set(numbers)).to.deep.equal(new Set(['+33240123456']));
    });

    it('types 06 and 07 numbers as mobiles and warns against personal mobiles', () => {
      const mobiles = [parsed('06 12 34 56 78'), parsed('07 56 12 34 56')];

      for (const phone of mobiles) {
        expect(phone.type).to.equal('mobile');
        expect(phone.warnings.join(' ')).to.match(/mobile professionnel/).and.match(/jamais le mobile personnel/);
      }
    });

    it('gives each overseas prefix its own country code (docs/domain.md « Phone numbers »)', () => {
      const cases: [string, string, string, string][] = [
        ['0590 12 34 56', '+590590123456', 'GP', 'fixed'],
        ['0690 12 34 56', '+590690123456', 'GP', 'mobile'],
        ['0596 61 23 45', '+596596612345', 'MQ', 'fixed'],
        ['0696 12 34 56', '+596696123456', 'MQ', 'mobile'],
        ['0697 12 34 56', '+596697123456', 'MQ', 'mobile'],
        ['0594 29 12 34', '+594594291234', 'GF', 'fixed'],
        ['0694 20 12 34', '+594694201234', 'GF', 'mobile'],
        ['0262 12 34 56', '+262262123456', 'RE', 'fixed'],
        ['0263 12 34 56', '+262263123456', 'RE', 'fixed'],
        ['0692 12 34 56', '+262692123456', 'RE', 'mobile'],
        ['0693 12 34 56', '+262693123456', 'RE', 'mobile'],
        ['0269 61 12 34', '+262269611234', 'YT', 'fixed'],
        ['0639 20 12 34', '+262639201234', 'YT', 'mobile'],
        ['0508 41 23 45', '+508412345', 'PM', 'fixed'],
      ];

      const results = cases.map(([input]) => parsed(input));

      results.forEach((phone, i) => {
        const [input, e164, country, type] = cases[i]!;
        expect({ e164: phone.e164, country: phone.country, type: phone.type, display: phone.display }, input).to.deep.equal({
          e164, country, type, display: input,
        });
      });
    });

    it('corrects "+33" typed in front of an overseas number', () => {
      const reunion = parsed('+33 262 12 34 56');
      const guadeloupe = parsed('+33 6 90 12 34 56');

      expect(reunion.e164).to.equal('+262262123456');
      expect(guadeloupe.e164).to.equal('+590690123456');
    });

    it('uses the contact département to tell Guadeloupe, Saint-Barthélemy and Saint-Martin apart', () => {
      const countries = ['971', '977', '978', '33', undefined].map((departement) => parsed('0690 12 34 56', { departement }).country);

      expect(countries).to.deep.equal(['GP', 'BL', 'MF', 'GP', 'GP']);
      expect(parsed('0690 12 34 56', { departement: '978' }).e164).to.equal('+590690123456');
    });

    it('reads a 6-digit Saint-Pierre-et-Miquelon number when the card is in 975', () => {
      const phone = parsed('41 23 45', { departement: '975' });

      expect(phone).to.include({ e164: '+508412345', display: '0508 41 23 45', country: 'PM' });
    });

    it('classifies 08 numbers by tariff and formats them the French way', () => {
      const types = ['0800 12 34 56', '0805 12 34 56', '0806 12 34 56', '0809 12 34 56', '0810 12 34 56', '0820 12 34 56', '0891 12 34 56', '0899 12 34 56']
        .map((input) => parsed(input).type);

      expect(types).to.deep.equal(['toll_free', 'toll_free', 'standard_rate', 'standard_rate', 'shared_cost', 'shared_cost', 'premium', 'premium']);
      expect(parsed('0800 12 34 56')).to.include({ display: '0 800 12 34 56' });
      expect(parsed('0800 12 34 56').warnings).to.deep.equal([]);
    });

    it('warns about surcharged numbers, and more firmly on a card of a body bound by loi ESSOC', () => {
      const plain = parsed('0825 12 34 56').warnings;
      const caf = parsed('0825 12 34 56', { agencyType: 'CAF' }).warnings;
      const ccas = parsed('0891 12 34 56', { agencyType: 'CCAS' }).warnings;

      expect(plain).to.have.length(1);
      expect(plain[0]).to.match(/^Numéro surtaxé/);
      expect(caf).to.have.length(2);
      expect(caf[1]).to.match(/loi ESSOC/).and.match(/probablement erroné/);
      expect(ccas).to.have.length(1);
    });

    it('types 09 numbers as VoIP lines without warning', () => {
      const phone = parsed('09 70 12 34 56');

      expect(phone).to.include({ type: 'voip', display: '09 70 12 34 56' });
      expect(phone.warnings).to.deep.equal([]);
    });

    it('rejects the technical 083x, 085x, 086x, 087x and 088x ranges', () => {
      const codes = ['0836 12 34 56', '0850 12 34 56', '0860 12 34 56', '0870 12 34 56', '0884 12 34 56', '+33 8 36 12 34 56']
        .map((input) => errorOf(input).code);

      expect(new Set(codes)).to.deep.equal(new Set(['technical_range']));
      expect(errorOf('0836 12 34 56').message).to.match(/usages techniques/);
    });

    it('keeps national short numbers as bare codes and says they are not direct lines', () => {
      const caf = parsed('3230');

      expect(caf).to.include({ e164: '3230', display: '3230', type: 'short', country: 'FR' });
      expect(caf.warnings[0]).to.match(/Numéro court national \(CAF\)/).and.match(/pas une ligne directe/);
      expect(caf.warnings[1]).to.match(/peut être facturé/);
    });

    it('does not call free short numbers charged', () => {
      const warnings = ['115', '119', '3001', '3919', '116006'].map((input) => parsed(input).warnings);

      expect(warnings.map((w) => w.length)).to.deep.equal([1, 1, 1, 1, 1]);
      expect(warnings[0]![0]).to.match(/SIAO/);
    });

    it('formats foreign numbers internationally and flags them', () => {
      const phone = parsed('+32 2 550 12 34');

      expect(phone).to.include({ e164: '+3225501234', display: '+32 2 550 12 34', country: 'BE', type: 'fixed' });
      expect(phone.warnings).to.deep.equal(['Numéro étranger (indicatif +32) : inhabituel pour un service français, vérifiez-le.']);
    });

    it('recognises fictional numbers, including the 06 39 98 block libphonenumber does not list', () => {
      const fixed = parsed('01 99 00 12 34');
      const mobile = parsed('06 39 98 12 34');

      expect(fixed).to.include({ e164: '+33199001234', type: 'fixed', fictional: true });
      expect(mobile).to.include({ e164: '+262639981234', type: 'mobile', country: 'YT', fictional: true });
      expect(fixed.warnings[0]).to.match(/^Numéro fictif/);
    });

    it('splits off an extension typed after « poste »', () => {
      const extensions = ['01 99 00 12 34 poste 245', '01 99 00 12 34 p. 245', '0199001234 ext. 245', '01 99 00 12 34 #245']
        .map((input) => parsed(input));

      for (const phone of extensions) expect(phone).to.include({ e164: '+33199001234', extension: '245' });
    });

    it('explains a wrong digit count in French', () => {
      const error = errorOf('02 40 12 34 5');

      expect(error.code).to.equal('invalid_length');
      expect(error.message).to.equal(
        "Ce numéro n'est pas un numéro français valide : un numéro français compte 10 chiffres (vous en avez saisi 9), par exemple 01 99 00 12 34.",
      );
    });

    it('rejects empty input, letters, missing prefix and unassigned ranges with French messages', () => {
      const errors = ['', '   ', 'CAF Nantes', '02 40 AB 34 56', '2 40 12 34 56', '07 12 34 56 78', '+32 12'].map(errorOf);

      expect(errors.map((e) => e.code)).to.deep.equal([
        'empty', 'empty', 'invalid_characters', 'invalid_characters', 'invalid_number', 'invalid_number', 'invalid_number',
      ]);
      expect(errors[0]!.message).to.equal('Saisissez un numéro de téléphone.');
      expect(errors.slice(2, 6).every((e) => e.message.startsWith("Ce numéro n'est pas un numéro français valide : "))).to.equal(true);
      expect(errors[6]!.message).to.match(/^Ce numéro international n'est pas valide/);
    });
  });

  describe('formatForDisplay()', () => {
    it('formats stored numbers for French readers', () => {
      const displays = ['+33240123456', '+33612345678', '+590590123456', '+262639981234', '+508412345', '+33800123456', '+3225501234', '3230']
        .map(formatForDisplay);

      expect(displays).to.deep.equal([
        '02 40 12 34 56', '06 12 34 56 78', '0590 12 34 56', '0639 98 12 34', '0508 41 23 45', '0 800 12 34 56', '+32 2 550 12 34', '3230',
      ]);
    });

    it('returns unparsable input unchanged', () => {
      const display = formatForDisplay('inconnu');

      expect(display).to.equal('inconnu');
    });
  });

  describe('toTelHref()', () => {
    it('builds tel: links, with the RFC 3966 extension when given', () => {
      const hrefs = [toTelHref('+33240123456'), toTelHref('+33240123456', '245'), toTelHref('3230')];

      expect(hrefs).to.deep.equal(['tel:+33240123456', 'tel:+33240123456;ext=245', 'tel:3230']);
    });

    it('keeps only digits and the plus sign', () => {
      const href = toTelHref('javascript:alert(1)+33 2', '"><b>');

      expect(href).to.equal('tel:1+332');
    });
  });

  describe('FICTION_RANGES and isFictionalNumber()', () => {
    it('lists the six ARCEP blocks, all of them recognised as fictional', () => {
      const numbers = FICTION_RANGES.map((r) => parsed(`${r.prefix}0000`));

      expect(FICTION_RANGES.map((r) => r.prefix)).to.deep.equal(['019900', '026191', '035301', '046571', '053649', '063998']);
      expect(numbers.every((p) => p.fictional && isFictionalNumber(p.e164))).to.equal(true);
    });

    it('does not treat neighbouring numbers as fictional', () => {
      const results = ['+33199010000', '+33261901234', '+262639971234', '+33639981234', '3230'].map(isFictionalNumber);

      expect(results).to.deep.equal([false, false, false, true, false]);
    });
  });

  describe('fictionalPhone()', () => {
    it('gives every département a valid fictional number', () => {
      const phones = listDepartements().map((d) => fictionalPhone(d.code, 42));

      expect(phones).to.have.length(101);
      expect(phones.every((p) => p.fictional && isFictionalNumber(p.e164))).to.equal(true);
    });

    it('uses the fixed block of the département zone, Occitanie split between 04 and 05', () => {
      const displays = ['75', '44', '59', '13', '2A', '34', '31', '33'].map((code) => fictionalPhone(code, 7).display);

      expect(displays).to.deep.equal([
        '01 99 00 00 07', '02 61 91 00 07', '03 53 01 00 07', '04 65 71 00 07',
        '04 65 71 00 07', '04 65 71 00 07', '05 36 49 00 07', '05 36 49 00 07',
      ]);
    });

    it('uses the 06 39 98 block for mobiles and for overseas départements', () => {
      const mobile = fictionalPhone('75', 1, 'mobile');
      const reunion = fictionalPhone('974', 1);

      expect(mobile).to.include({ e164: '+262639980001', type: 'mobile' });
      expect(reunion).to.include({ e164: '+262639980001', display: '0639 98 00 01' });
    });

    it('is deterministic in its index and gives distinct numbers for distinct indexes', () => {
      const first = fictionalPhone('44', 1).e164;
      const again = fictionalPhone('44', 1).e164;
      const all = new Set(Array.from({ length: 50 }, (_, i) => fictionalPhone('44', i).e164));

      expect(first).to.equal(again);
      expect(all.size).to.equal(50);
    });

    it('throws on an unknown département or an index out of range', () => {
      const unknown = () => fictionalPhone('20');
      const tooLarge = () => fictionalPhone('44', 10000);
      const negative = () => fictionalPhone('44', -1);

      expect(unknown).to.throw(/Unknown département/);
      expect(tooLarge).to.throw(/out of range/);
      expect(negative).to.throw(/out of range/);
    });
  });
});
