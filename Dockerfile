# syntax=docker/dockerfile:1
# One image for every service of MADFAM Academy; the command names the service:
#   docker build -t academy .
#   docker run --env-file .env academy gateway        (or users, workers, migrate, ... see docs/deployment.md)
# Stages: manifests -> deps (npm ci, dev dependencies too) -> build (`npm run generate`, `npm run build`,
# the script CI's production-build test runs) ; prod-deps (`npm ci --omit=dev`, pruned by
# scripts/prune-runtime.mjs) ; runtime (node_modules of prod-deps, dist/ of build, non-root). tools/devstack/test/dockerfile.test.ts checks these invariants.
#
# The base is pinned to an exact release. Where a registry is reachable, pin its digest too:
#   docker buildx imagetools inspect node:20.20.2-bookworm-slim   ->  FROM node:20.20.2-bookworm-slim@sha256:<digest>

FROM node:20.20.2-bookworm-slim AS base
WORKDIR /app
ENV CI=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 TURBO_TELEMETRY_DISABLED=1

# Only the package manifests: the dependency layers are rebuilt when they change, not on every edit.
FROM base AS manifests
COPY . /src
RUN cd /src && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents '{}' /app/ ';' \
  && cp package-lock.json .npmrc /app/

# Every dependency (the build's tools are dev dependencies). .npmrc keeps install scripts off, as on our machines.
FROM base AS deps
COPY --from=manifests /app/ ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY . .
# Prisma Client (generated, never committed) and the resolver types; then the bundles into dist/.
RUN npm run generate && npm run build

# What runs: production dependencies only, pruned to what the bundles import and what that needs
# (npm ci --omit=dev also installs the development tools' dependencies: embedded PostgreSQL's
# binaries, MailDev, s3rver, the code generators). The same script production-build.test.ts runs.
FROM base AS prod-deps
COPY --from=manifests /app/ ./
COPY --from=build /app/dist/build.json ./dist/build.json
COPY scripts/prune-runtime.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force \
  && node scripts/prune-runtime.mjs .

FROM node:20.20.2-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json .npmrc ./
COPY scripts/run-service.js scripts/healthcheck.js ./scripts/
# uid 1000, not root; the files above stay root's, read-only to it.
USER node
# The gateway's port; the others are set per service (PORT) where they run.
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.js"]
ENTRYPOINT ["node", "scripts/run-service.js"]
CMD ["gateway"]
