/**
 * The columns of an import: what each one holds, guessed from its header
 * (case and accents ignored), corrected by the member with selects.
 */
import { foldKey } from '../core/text';

export const COLUMN_ROLES = {
  ignore: 'Ne pas importer',
  organisme: 'Organisme',
  service: 'Service',
  nom: 'Nom',
  prenom: 'Prénom',
  fonction: 'Fonction',
  telephone: 'Téléphone',
  mail: 'Mail',
  remarques: 'Remarques',
} as const;
export type ColumnRole = keyof typeof COLUMN_ROLES;
export const ROLE_CODES = Object.keys(COLUMN_ROLES) as ColumnRole[];

/** Header words of each role, folded (foldKey): the first role whose word the header starts with or equals wins. */
const HEADER_WORDS: Array<[ColumnRole, RegExp]> = [
  ['prenom', /^(prenom|first ?name)\b/],
  ['nom', /^(nom|name|last ?name|nom de famille|interlocuteur|agent)\b/],
  ['organisme', /^(organisme|organisation|structure|administration|institution|etablissement|partenaire)\b/],
  ['service', /^(service|pole|direction|departement service|unite)\b/],
  ['fonction', /^(fonction|poste|role|titre|qualite)\b/],
  ['telephone', /^(telephone|tel|tél|numero|n de telephone|ligne|portable|mobile|standard)\b/],
  ['mail', /^(mail|e ?mail|courriel|adresse mail|adresse e ?mail|adresse electronique)\b/],
  ['remarques', /^(remarque|remarques|commentaire|commentaires|notes?|observations?|infos?|informations|astuces?|comment le joindre)\b/],
];

/** The role a header suggests (`ignore` when none). */
export function guessRole(header: string): ColumnRole {
  const key = foldKey(header)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [role, re] of HEADER_WORDS) if (re.test(key)) return role;
  return 'ignore';
}

/** A role per column: each role but `telephone` (two numbers) taken once, by its first column. */
export function guessMapping(headers: string[]): ColumnRole[] {
  const taken = new Map<ColumnRole, number>();
  return headers.map((h) => {
    const role = guessRole(h);
    if (role === 'ignore') return role;
    const n = taken.get(role) ?? 0;
    if (n >= (role === 'telephone' ? 2 : 1)) return 'ignore';
    taken.set(role, n + 1);
    return role;
  });
}
