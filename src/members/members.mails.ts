/** The French texts of account e-mails. */
import { link } from '../mail/mailer';

export const memberMails = {
  verify: (firstName: string, token: string) => ({
    subject: 'Confirmez votre adresse e-mail – Ligne directe',
    text: `Bonjour ${firstName},\n\nVous avez demandé un accès à Ligne directe. Pour confirmer votre adresse e-mail, ouvrez ce lien (valable 48 heures, utilisable une seule fois) :\n\n${link(`/inscription/verifier/${token}`)}\n\nEnsuite, la modération de votre région vérifiera votre demande, en général sous quelques jours. Vous recevrez un e-mail dès qu’elle aura décidé.\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message : aucun compte ne sera activé.`,
  }),
  alreadyRegistered: () => ({
    subject: 'Vous avez déjà un compte – Ligne directe',
    text: `Bonjour,\n\nQuelqu’un (peut-être vous) a demandé un accès à Ligne directe avec cette adresse, mais un compte existe déjà.\n\nPour vous connecter : ${link('/connexion')}\nMot de passe oublié : ${link('/mot-de-passe-oublie')}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.`,
  }),
  approved: (firstName: string) => ({
    subject: 'Votre accès à Ligne directe est validé',
    text: `Bonjour ${firstName},\n\nLa modération de votre région a validé votre accès. Vous pouvez vous connecter dès maintenant :\n\n${link('/connexion')}\n\nRappel de la charte : n’enregistrez jamais d’information sur les personnes que vous accompagnez (secret professionnel).`,
  }),
  rejected: (firstName: string, reason: string) => ({
    subject: 'Votre demande d’accès à Ligne directe',
    text: `Bonjour ${firstName},\n\nLa modération de votre région n’a pas pu valider votre demande d’accès, pour le motif suivant :\n\n« ${reason} »\n\nSi vous pensez qu’il s’agit d’une erreur, vous pouvez répondre à la modération de votre région par l’intermédiaire de l’association.`,
  }),
  resetPassword: (firstName: string, token: string) => ({
    subject: 'Réinitialiser votre mot de passe – Ligne directe',
    text: `Bonjour ${firstName},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, utilisable une seule fois) :\n\n${link(`/mot-de-passe/reinitialiser/${token}`)}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.`,
  }),
  passwordChanged: (firstName: string) => ({
    subject: 'Votre mot de passe a été modifié – Ligne directe',
    text: `Bonjour ${firstName},\n\nLe mot de passe de votre compte vient d’être modifié et vos autres sessions ont été fermées.\n\nSi vous n’êtes pas à l’origine de ce changement, réinitialisez-le tout de suite : ${link('/mot-de-passe-oublie')}`,
  }),
  suspended: (firstName: string, reason: string) => ({
    subject: 'Votre compte Ligne directe est suspendu',
    text: `Bonjour ${firstName},\n\nLa modération a suspendu votre compte, pour le motif suivant :\n\n« ${reason} »\n\nVous ne pouvez plus vous connecter pour le moment. Si vous pensez qu’il s’agit d’une erreur, répondez à la modération de votre région par l’intermédiaire de l’association.`,
  }),
  reactivated: (firstName: string) => ({
    subject: 'Votre compte Ligne directe est de nouveau actif',
    text: `Bonjour ${firstName},\n\nLa modération a levé la suspension de votre compte. Vous pouvez vous connecter de nouveau : ${link('/connexion')}`,
  }),
};
