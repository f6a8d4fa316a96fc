import { DEMO_MEMBER_EMAIL } from "./demo-seed";

/** The first query a newcomer runs: as the demo member, or as the admin when there is none (selecting ids, as every example does). */
const MEMBER_QUERY = `{ memberByEmail(email: \\"${DEMO_MEMBER_EMAIL}\\") { id displayName balance { available pending } tier tierProgress { next pointsToNext progress } eligibleRewards(first: 3) { id title costPoints } } }`;
const ADMIN_QUERY = `{ members(first: 3) { id displayName tier balance { available pending } } }`;

/**
 * What `npm start` prints once the stack is up: the URLs, the demo tokens, the README's `export` lines
 * and a query to try. `memberToken` is null when the database has no demo member (the demo coalition is
 * seeded into an empty database only: one seeded otherwise, or whose demo member was erased, has none):
 * then no member token, no MEMBER_TOKEN line, and a query as the admin.
 */
export function banner(url: string, adminToken: string, memberToken: string | null, ttlSeconds: number): string {
  const validity = ttlSeconds % 3600 === 0 ? `${ttlSeconds / 3600} h` : `${ttlSeconds} s`;
  const origin = new URL(url).origin;
  const member = memberToken
    ? { line: `${memberToken}   (${DEMO_MEMBER_EMAIL}, valid ${validity})`, exported: `\n  export MEMBER_TOKEN=${memberToken}` }
    : { line: `none: this database has no member ${DEMO_MEMBER_EMAIL} (the demo is seeded into an empty database only)`, exported: "" };
  const [token, query] = memberToken ? [memberToken, MEMBER_QUERY] : [adminToken, ADMIN_QUERY];
  return `
  Coalition is running.

  GraphQL gateway: ${url}
  Explorer (works offline): ${origin}/ : pick a demo token at the top, or add a header \`Authorization: Bearer <token>\`

  Admin token:        ${adminToken}   (valid ${validity})
  Demo member token:  ${member.line}

  For the README's examples, in another shell:

  export GATEWAY=${url}
  export ADMIN_TOKEN=${adminToken}${member.exported}

  Or try:

  curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\
    -d '{"query":"${query}"}'

  Ctrl-C stops everything.

`;
}
