# The onboarding service as its users deploy it (SPEC §11; README "Deploy"): page and API in one
# image, production dependencies only, a non-root user, `node dist/server.js`.
#
#   podman build -t onboarding-service .       (or docker build)
#   podman run -p 8080:8080 -e DATABASE_URL=postgres://… -e ENCRYPTION_KEY=… -e CLERK_JWT_KEY=… onboarding-service
#
# The default base is the official Node image. Where no registry is reachable, pass a local one
# laid out the same way (Node in /usr/local, its headers in /usr/local/include/node):
#   --build-arg BASE_IMAGE=localhost/onboarding-node-base:24   (e2e/deploy/make-local-base-image.sh)
ARG BASE_IMAGE=node:24-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# Dependencies first: this layer is reused until the lockfile changes. No install scripts, so no
# compiler: better-sqlite3 13 ships its Node-API binaries in the package (prebuilds/), which it
# loads when it was not compiled; npm ci would otherwise run node-gyp on it (decision 0021). The
# lockfile's other install scripts (esbuild's binary check, a Clerk notice) build nothing we use.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
# The page is built for its own origin here; a page on a host of its own is built by that host (vercel.json).
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src

FROM ${BASE_IMAGE} AS runtime
# Production settings the image always runs with; the rest comes from the deployment (README "Deploy"):
# DATABASE_URL (PostgreSQL), ENCRYPTION_KEY, CLERK_JWT_KEY or CLERK_JWKS_URL, and CORS_ORIGINS
# when the page lives on a host of its own. HOST=0.0.0.0 is why AUTH_MODE must be clerk: dev
# mode (anyone mints any user's token) is refused on a non-loopback host and in production.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    AUTH_MODE=clerk \
    STORAGE_MODE=database \
    DATA_DIR=/app/data \
    PROGRESS_DIR=/app/data/progress
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# require-node.mjs: dist/server.js imports it first (one line on a too-old Node, decision 0017).
COPY scripts/require-node.mjs scripts/healthcheck.mjs ./scripts/
# Files stay root's (read-only to the service); only the data dir (SQLite trials, dev secrets) is the user's.
RUN mkdir -p /app/data && chown 10001:10001 /app/data
USER 10001:10001
EXPOSE 8080
# /healthz: the process answers (liveness). Readiness (/readyz: the database answers) is the load balancer's.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# The server drains on SIGTERM (in-flight requests finish, then the pool closes) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
