/** « Mes contacts » → its page (cards grouped by agency, the search's trust line), print view, vCard and CSV. */
import { presentContact, toVCard, type ContactView } from '../contacts/contacts.presenter';
import type { Actor } from '../core/policy';
import { trustLine } from '../search/search.presenter';
import { toCsv } from './csv';
import { MY_CONTACTS_CAP } from './my-contacts.model';
import type { MyContactItem } from './my-contacts.service';

export function presentCard(item: MyContactItem, actor: Actor, threshold: number) {
  const view = presentContact(item.contact, item.agency, actor, { minVotesShown: threshold });
  const c = item.contact.counters;
  return {
    ...view,
    subtitle: [view.name ? view.function : undefined, view.name || view.function !== view.title ? view.service : undefined].filter((v) => v && v !== view.title).join(' · '),
    trust: trustLine(
      {
        verifiedAt: item.contact.lastVerifiedAt ? Math.floor(new Date(item.contact.lastVerifiedAt).getTime() / 1000) : 0,
        confirmations: c?.confirmations ?? 0,
        helpful: c?.helpful ?? 0,
        notHelpful: c?.notHelpful ?? 0,
      },
      threshold,
    ),
  };
}

export type MyContactCard = ReturnType<typeof presentCard>;

/** Cards grouped by agency, agencies in alphabetical order, cards in the order they were added. */
export function groupByAgency(cards: MyContactCard[]) {
  const groups = new Map<string, { agency: ContactView['agency']; cards: MyContactCard[] }>();
  for (const card of cards) {
    const g = groups.get(card.agency.id) ?? { agency: card.agency, cards: [] };
    g.cards.push(card);
    groups.set(card.agency.id, g);
  }
  return [...groups.values()].sort((a, b) => a.agency.name.localeCompare(b.agency.name, 'fr'));
}

/** Cards still in the list that the member may no longer see (restricted, withdrawn…): counted, never named. */
function goneMessage(n: number): string | undefined {
  if (n <= 0) return undefined;
  return n === 1
    ? 'Un contact de votre liste n’est plus listé dans l’annuaire : il n’apparaît plus ici.'
    : `${n} contacts de votre liste ne sont plus listés dans l’annuaire : ils n’apparaissent plus ici.`;
}

export function presentMyContacts(items: MyContactItem[], actor: Actor, opts: { threshold: number; held: number; alerts: boolean }) {
  const cards = items.map((i) => presentCard(i, actor, opts.threshold));
  return {
    groups: groupByAgency(cards),
    count: cards.length,
    cap: MY_CONTACTS_CAP,
    full: opts.held >= MY_CONTACTS_CAP,
    goneMessage: goneMessage(opts.held - cards.length),
    alerts: opts.alerts,
  };
}

/** One vCard file holding every card (RFC 2426 allows several in a row). */
export function toMultiVCard(items: MyContactItem[], actor: Actor): string {
  return items.map((i) => toVCard(presentContact(i.contact, i.agency, actor))).join('');
}

export const CSV_HEADER = [
  'Organisme', 'Type', 'Commune', 'Département', 'Personne', 'Fonction', 'Service',
  'Téléphone 1', 'Poste 1', 'Téléphone 2', 'Poste 2', 'E-mail', 'Horaires', 'Comment le joindre', 'État', 'Vérifié le',
];

const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

export function toMyContactsCsv(items: MyContactItem[], actor: Actor): string {
  const rows = items.map((i) => {
    const v = presentContact(i.contact, i.agency, actor);
    const [p1, p2] = v.phones;
    return [
      v.agency.name, v.agency.typeLabel, v.agency.commune, v.agency.departement, v.name, v.function, v.service,
      p1?.display, p1?.extension, p2?.display, p2?.extension, v.email, v.hours, v.tips,
      v.phonesMasked ? 'Numéro signalé invalide' : v.needsCheck ? 'À vérifier' : 'Publié',
      v.verifiedAt ? day.format(v.verifiedAt) : '',
    ];
  });
  return toCsv(CSV_HEADER, rows);
}
