import { DEMO_MEMBER_EMAIL } from "./demo-seed";

/** What `npm start` prints once the stack is up: the URLs, the demo tokens, the README's `export` lines and a query to try. */
export function banner(url: string, adminToken: string, memberToken: string | null, ttlSeconds: number): string {
  const validity = ttlSeconds % 3600 === 0 ? `${ttlSeconds / 3600} h` : `${ttlSeconds} s`;
  const origin = new URL(url).origin;
  return `
  Coalition is running.

  GraphQL gateway: ${url}
  Explorer (works offline): ${origin}/ : pick a demo token at the top, or add a header \`Authorization: Bearer <token>\`

  Admin token:        ${adminToken}   (valid ${validity})
  Demo member token:  ${memberToken ?? "(no demo member)"}   (${DEMO_MEMBER_EMAIL}, valid ${validity})

  For the README's examples, in another shell:

  export GATEWAY=${url}
  export ADMIN_TOKEN=${adminToken}
  export MEMBER_TOKEN=${memberToken ?? ""}

  Or try:

  curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${memberToken}' \\
    -d '{"query":"{ memberByEmail(email: \\"${DEMO_MEMBER_EMAIL}\\") { id displayName balance { available pending } tier tierProgress { next pointsToNext progress } eligibleRewards(first: 3) { id title costPoints } } }"}'

  Ctrl-C stops everything.

`;
}
