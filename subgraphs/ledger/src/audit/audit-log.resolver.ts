import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import { pageSize } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { AuditEventConnection } from "./audit-log.types";

const DEFAULT_FIRST = 20;

@Resolver()
export class AuditLogResolver {
  @Query(() => AuditEventConnection, {
    description: withExample(
      "The audit trail of every service, newest first, a page at a time: every write made by an admin or a partner app, and every admin read of a member's profile " +
        "(who, what, on which member or partner, when, request id, outcome). Each line is written in the same database transaction as the change it records and " +
        "is never changed or deleted. Callers: admins only. Errors: FORBIDDEN, BAD_USER_INPUT (a malformed id or cursor), UPSTREAM_UNAVAILABLE (a service did not answer).",
      `query {
  auditLog(first: 10, memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10") {
    edges { node { occurredAt service actor action memberId partnerId targetId requestId outcome } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    ),
  })
  auditLog(
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many lines, 1 to 100 (default 20)." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this line: the `endCursor` of the previous page. Omit for the newest lines." }) after: string | null,
    @Arg("memberId", () => ID, { nullable: true, description: "Only lines about this member." }) memberId: string | null,
    @Arg("partnerId", () => ID, { nullable: true, description: "Only lines about this partner (or made by its apps)." }) partnerId: string | null,
    @Arg("actor", () => String, { nullable: true, description: "Only lines of this actor, exactly as shown in `actor` (e.g. `admin:alice`)." }) actor: string | null,
    @Ctx() { identity, auditLog }: Context,
  ): Promise<AuditEventConnection> {
    requireAdmin(identity);
    return auditLog.page({ first: pageSize(first ?? DEFAULT_FIRST), after, memberId, partnerId, actor });
  }
}
