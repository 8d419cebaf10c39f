/**
 * What listed agents read (docs/agents.md): the information text (RGPD art. 14),
 * sent by e-mail at publication or handed over by the author when the card has
 * no address, and the periodic confirmation e-mail. Both lead to the agent's
 * own page, where one click confirms, corrects, hands over or withdraws.
 */
import { link } from '../mail/mailer';

/** The information itself, without any link: the add form shows it for the author to pass on. */
export function agentInformationParagraphs(agencyName = 'votre organisme'): string[] {
  return [
    `Vos coordonnées professionnelles (nom, fonction, ligne et adresse professionnelles) au sein de « ${agencyName} » ont été ajoutées à Ligne directe, l’annuaire associatif des interlocuteurs des administrations, tenu par une association de professionnel·les de l’action sociale et modéré par ses membres.`,
    'Pourquoi : permettre aux travailleurs sociaux de joindre le bon service quand une situation est bloquée, dans l’intérêt des personnes accompagnées (intérêt légitime, article 6.1.f du RGPD).',
    'Qui peut les voir : uniquement des professionnel·les de l’action sociale dont l’accès a été vérifié. L’annuaire n’est pas public et n’est pas indexé par les moteurs de recherche.',
    'Combien de temps : tant que la ligne est utile ; une fiche qui n’est plus vérifiée depuis 24 mois est archivée puis supprimée.',
    'Aucune note ni évaluation ne porte sur votre personne : les collègues indiquent seulement si la ligne fonctionne.',
    `Vos droits : vous pouvez vous opposer à tout moment à la présence de votre nom et de votre ligne directe, sans avoir à vous justifier, sur ${link('/opposition')} : votre demande est appliquée immédiatement. Vous pouvez aussi demander l’accès à vos données, leur rectification ou leur effacement auprès de l’association.`,
  ];
}

const pageLines = (token: string) => [
  'Votre page, réservée à cette adresse (sans compte ni mot de passe) :',
  link(`/agent/${token}`),
  'En un clic : confirmer que la fiche est à jour, la corriger, signaler que vous changez de poste, ou retirer vos coordonnées de l’annuaire.',
];

export const agentMails = {
  information: (agencyName: string, token: string) => ({
    subject: 'Vos coordonnées professionnelles figurent dans l’annuaire Ligne directe',
    text: ['Bonjour,', '', ...agentInformationParagraphs(agencyName).flatMap((p) => [p, '']), ...pageLines(token)].join('\n'),
  }),
  campaign: (agencyName: string, label: string, token: string) => ({
    subject: 'Vos coordonnées sont-elles toujours à jour ? – Ligne directe',
    text: [
      'Bonjour,',
      '',
      `Vos coordonnées professionnelles au sein de « ${agencyName} » (${label}) figurent dans Ligne directe, l’annuaire des interlocuteurs des administrations réservé aux professionnel·les de l’action sociale.`,
      'Les collègues qui vous appellent comptent sur une ligne qui fonctionne. Si rien n’a changé, un clic suffit ; sans réponse, rien ne change pour vous.',
      '',
      ...pageLines(token),
      '',
      `Ne plus recevoir ces messages de confirmation (vous gardez le droit de vous opposer) : ${link(`/agent/${token}/campagnes`)}`,
    ].join('\n'),
    headers: {
      // One-click unsubscribe (RFC 8058): the mail client posts to this address.
      'List-Unsubscribe': `<${link(`/agent/${token}/desabonnement`)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }),
};
