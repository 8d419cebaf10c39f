/** Input schemas of the account forms, with the French messages members see. */
import { z } from 'zod';
import { isDepartementCode } from '../reference/territories';
import { PROFESSIONS } from './member.model';
import { PASSWORD_MAX, passwordProblem } from './passwords';

const text = (missing: string, max: number, tooLong = `${max} caractères au plus.`) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, tooLong);

export const emailField = z
  .string({ error: 'Indiquez votre adresse e-mail.' })
  .trim()
  .toLowerCase()
  .min(1, 'Indiquez votre adresse e-mail.')
  .max(254, 'Cette adresse e-mail est trop longue.')
  .pipe(z.email({ error: 'Indiquez une adresse e-mail valide, par exemple prenom.nom@organisme.fr.' }));

const newPassword = z
  .string({ error: 'Choisissez un mot de passe.' })
  .max(PASSWORD_MAX * 4, 'Ce mot de passe est trop long.')
  .superRefine(async (value, ctx) => {
    const problem = await passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const profile = {
  firstName: text('Indiquez votre prénom.', 80),
  lastName: text('Indiquez votre nom.', 80),
  profession: z.enum(Object.keys(PROFESSIONS) as [keyof typeof PROFESSIONS], { error: 'Choisissez votre profession dans la liste.' }),
  employer: text('Indiquez votre structure employeuse (par exemple « CCAS de Nantes »).', 160),
  departement: z
    .string({ error: 'Choisissez votre département d’exercice.' })
    .trim()
    .refine(isDepartementCode, 'Choisissez votre département d’exercice dans la liste.'),
  membershipNumber: z
    .string()
    .trim()
    .max(40, 'Le numéro d’adhérent compte 40 caractères au plus.')
    .optional()
    .transform((v) => v || undefined),
};

export const RegisterSchema = z.object({
  email: emailField,
  password: newPassword,
  ...profile,
  charter: z.literal('oui', { error: 'Cochez la case pour accepter la charte : c’est la condition de l’accès.' }),
});
export type RegisterInput = z.infer<typeof RegisterSchema>;

export const SignInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Indiquez votre mot de passe.' }).min(1, 'Indiquez votre mot de passe.').max(PASSWORD_MAX * 4, 'Mot de passe trop long.'),
  retour: z.string().max(500).optional(),
});
export type SignInInput = z.infer<typeof SignInSchema>;

export const ForgotPasswordSchema = z.object({ email: emailField });
export type ForgotPasswordInput = z.infer<typeof ForgotPasswordSchema>;

export const ResetPasswordSchema = z.object({ password: newPassword });
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>;

export const ProfileSchema = z.object(profile);
export type ProfileInput = z.infer<typeof ProfileSchema>;

export const ChangePasswordSchema = z.object({
  currentPassword: z.string({ error: 'Indiquez votre mot de passe actuel.' }).min(1, 'Indiquez votre mot de passe actuel.').max(PASSWORD_MAX * 4),
  password: newPassword,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const DeleteAccountSchema = z.object({
  currentPassword: z.string({ error: 'Indiquez votre mot de passe pour confirmer.' }).min(1, 'Indiquez votre mot de passe pour confirmer.').max(PASSWORD_MAX * 4),
});
export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;

export const RejectMemberSchema = z.object({
  reason: text('Indiquez le motif du refus : il sera envoyé à la personne.', 1000, 'Le motif compte 1 000 caractères au plus.'),
});
export type RejectMemberInput = z.infer<typeof RejectMemberSchema>;

export const SuspendMemberSchema = z.object({
  reason: text('Indiquez le motif de la suspension : il est écrit au journal et envoyé à la personne.', 1000, 'Le motif compte 1 000 caractères au plus.'),
});
export type SuspendMemberInput = z.infer<typeof SuspendMemberSchema>;

export const MemberLookupSchema = z.object({
  email: emailField,
});
export type MemberLookupInput = z.infer<typeof MemberLookupSchema>;

export const TokenParamsSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'Ce lien n’est pas valide.'),
});
export type TokenParams = z.infer<typeof TokenParamsSchema>;
