#!/usr/bin/env bash
# The Guild's federation gateway audit against our gateway (README: "The Guild's federation gateway audit").
#   tools/federation-audit.sh /path/to/federation-gateway-audit   (a checkout, `npm ci` done there)
# Needs `npm run build` first. Uses ports AUDIT_SUBGRAPHS_PORT (14620) and AUDIT_GATEWAY_PORT (14640):
# the audit kills whatever listens on the gateway's port before each suite.
set -euo pipefail
audit_dir=$(cd "${1:?usage: tools/federation-audit.sh AUDIT_CHECKOUT}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
export COALITION_ROOT="$root"
export AUDIT_SUBGRAPHS_PORT=${AUDIT_SUBGRAPHS_PORT:-14620}
export AUDIT_GATEWAY_PORT=${AUDIT_GATEWAY_PORT:-14640}
# The audit waits 5 s for a gateway by default; ours takes about that on a busy machine.
export GATEWAY_TIMEOUT=${GATEWAY_TIMEOUT:-30000}
export AUDIT_SECRET=${AUDIT_SECRET:-$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')}
results=${AUDIT_RESULTS:-$root/.data/federation-audit-results.txt}
mkdir -p "$(dirname "$results")"
cd "$audit_dir"
node --import "$root/tools/federation-audit/node20.mjs" --import tsx src/cli.ts test \
  --run-script "$root/tools/federation-audit/gateway.sh" \
  --graphql "http://localhost:$AUDIT_GATEWAY_PORT/graphql" --healthcheck "http://localhost:$AUDIT_GATEWAY_PORT/health" \
  --port "$AUDIT_SUBGRAPHS_PORT" --write "$results"
node "$root/tools/federation-audit/compare.mjs" "$results" "$audit_dir/gateways/apollo-gateway/results.txt"
