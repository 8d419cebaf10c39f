/**
 * The only reader of process.env. Parses every variable once with Zod, prints
 * all problems in plain words and exits when one is wrong, then exports a
 * frozen, grouped, typed object.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The folder holding package.json, found by walking up from this module, so
 * that the sources (src/config.ts) and the build (dist/*.js) agree on it.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const boolFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'attendu : true ou false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], {
        message: 'attendu : development, test ou production',
      })
      .default('development'),
    PORT: z.coerce
      .number({ message: 'attendu : un numéro de port' })
      .int('attendu : un nombre entier')
      .min(0, 'attendu : un port entre 0 et 65535')
      .max(65535, 'attendu : un port entre 0 et 65535')
      .default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    BASE_URL: optionalString.pipe(z.url({ message: 'attendu : une URL http(s) complète' }).optional()),
    MONGODB_URL: optionalString.pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, 'attendu : une URL mongodb:// ou mongodb+srv://')
        .optional(),
    ),
    MEILI_URL: optionalString.pipe(z.url({ message: 'attendu : une URL http(s) complète' }).optional()),
    MEILI_MASTER_KEY: optionalString,
    MEILI_INDEX_PREFIX: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9_]{1,40}$/, 'attendu : lettres minuscules, chiffres et _ (40 au plus)')
        .optional(),
    ),
    DATA_DIR: optionalString,
    CACHE_DIR: optionalString,
    SESSION_SECRET: optionalString.pipe(
      z.string().min(32, 'attendu : au moins 32 caractères aléatoires').optional(),
    ),
    SMTP_URL: optionalString.pipe(
      z.string().regex(/^smtps?:\/\//, 'attendu : une URL smtp:// ou smtps://').optional(),
    ),
    MAIL_FROM: z.string().min(3).default('Ligne directe <ne-pas-repondre@ligne-directe.localhost>'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'attendu : fatal, error, warn, info, debug, trace ou silent',
      })
      .optional(),
    LOG_CAPTURE: boolFlag.optional(),
    SEED_DEMO: boolFlag.optional(),
    JOBS: boolFlag.optional(),
    METRICS_TOKEN: optionalString.pipe(
      z.string().min(24, 'attendu : au moins 24 caractères aléatoires').optional(),
    ),
    TRUST_PROXY: z.coerce
      .number({ message: 'attendu : le nombre de proxys de confiance devant l’application' })
      .int()
      .min(0)
      .default(0),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const required: Array<[keyof typeof env, string]> = [
      ['MONGODB_URL', 'obligatoire en production (base MongoDB)'],
      ['MEILI_URL', 'obligatoire en production (serveur Meilisearch)'],
      ['MEILI_MASTER_KEY', 'obligatoire en production (clé du serveur Meilisearch)'],
      ['SESSION_SECRET', 'obligatoire en production (au moins 32 caractères aléatoires)'],
      ['SMTP_URL', 'obligatoire en production (serveur d’envoi des e-mails)'],
      ['BASE_URL', 'obligatoire en production (adresse publique du site, pour les liens des e-mails)'],
    ];
    for (const [key, message] of required) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message });
    }
    if (env.SEED_DEMO) {
      ctx.addIssue({ code: 'custom', path: ['SEED_DEMO'], message: 'interdit en production' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Raised with every problem found, each as "VARIABLE : message". */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses an environment (process.env by default) into the typed configuration. */
export function loadConfig(source: Record<string, string | undefined>) {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environnement)'} : ${i.message}`),
    );
  }
  const env = parsed.data;
  const dataDir = resolve(PROJECT_ROOT, env.DATA_DIR ?? 'data');
  const isProd = env.NODE_ENV === 'production';
  const port = env.PORT;
  return Object.freeze({
    env: env.NODE_ENV,
    isProduction: isProd,
    isDevelopment: env.NODE_ENV === 'development',
    isTest: env.NODE_ENV === 'test',
    http: Object.freeze({
      port,
      host: env.HOST,
      baseUrl: (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      trustProxy: env.TRUST_PROXY,
    }),
    paths: Object.freeze({
      root: PROJECT_ROOT,
      data: dataDir,
      cache: resolve(PROJECT_ROOT, env.CACHE_DIR ?? '.cache'),
      views: resolve(PROJECT_ROOT, 'views'),
      public: resolve(PROJECT_ROOT, 'public'),
    }),
    mongo: Object.freeze({ url: env.MONGODB_URL }),
    meili: Object.freeze({
      url: env.MEILI_URL,
      masterKey: env.MEILI_MASTER_KEY,
      indexPrefix: env.MEILI_INDEX_PREFIX ?? `ld_${env.NODE_ENV === 'production' ? 'prod' : env.NODE_ENV}_`,
    }),
    session: Object.freeze({ secret: env.SESSION_SECRET }),
    mail: Object.freeze({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }),
    log: Object.freeze({
      level: env.LOG_LEVEL ?? 'info',
      pretty: env.NODE_ENV === 'development',
      /** Test runs keep their log lines in memory (src/core/logger.ts); a test's child app may write them out instead. */
      capture: env.LOG_CAPTURE ?? env.NODE_ENV === 'test',
    }),
    /** Bearer token of GET /metrics; unset: no /metrics route. */
    metrics: Object.freeze({ token: env.METRICS_TOKEN }),
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV === 'development',
    /** Background jobs (clean-up, freshness, digests, search reconciler) in this instance. */
    jobs: env.JOBS ?? true,
  });
}

export type Config = ReturnType<typeof loadConfig>;

function loadOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`\nLigne directe ne peut pas démarrer.\n${err.message}\nVoir le tableau des variables dans README.md.\n\n`);
      process.exit(1);
    }
    throw err;
  }
}

export const config: Config = loadOrExit();
