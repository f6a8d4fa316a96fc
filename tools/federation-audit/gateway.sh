#!/bin/sh
# Started by the audit (tools/federation-audit.sh) for one suite, $1: our gateway on that suite's
# supergraph, routing URLs from the file (no *_URL variables), no rate limits.
set -eu
dir=$(mktemp -d)
curl -sf "http://localhost:${AUDIT_SUBGRAPHS_PORT}/$1/supergraph" -o "$dir/supergraph.graphql"
exec env -u MEMBERS_URL -u PARTNERS_URL -u CATALOG_URL -u LEDGER_URL \
  NODE_ENV=test LOG_LEVEL=warn APOLLO_TELEMETRY_DISABLED=1 \
  GATEWAY_PORT="$AUDIT_GATEWAY_PORT" SUPERGRAPH_PATH="$dir/supergraph.graphql" \
  GATEWAY_SECRET="$AUDIT_SECRET" SERVICE_SECRET="$AUDIT_SECRET-service" JWT_SECRET="$AUDIT_SECRET-jwt" \
  RATE_LIMIT_PER_MINUTE=0 RATE_LIMIT_ANONYMOUS_PER_MINUTE=0 \
  node "$COALITION_ROOT/dist/gateway/src/main.js"
