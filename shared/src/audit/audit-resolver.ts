import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from "type-graphql";
import type { Identity } from "../auth/proof";
import { ALLOWED, denyFor } from "../auth/policy";
import { type AuditRow, decodeAuditCursor } from "./audit-page";

/** What a service's context offers the audit reader: who calls, and its own lines. */
export interface AuditReadContext {
  identity: Identity;
  auditRows(filter: { memberId: string | null; partnerId: string | null; actor: string | null }, after: ReturnType<typeof decodeAuditCursor> | null, limit: number): Promise<AuditRow[]>;
}

/**
 * The internal query through which the service owning `auditLog` (the ledger) reads another service's
 * audit lines: `<service>AuditEvents`, one name per service so the four never clash in the
 * supergraph; @inaccessible (not public) and answered to service calls only. The lines come as one
 * JSON text (an internal wire format, parsed by the caller), already filtered and paged.
 */
export function auditEventsResolver(service: string) {
  @Resolver()
  class ServiceAuditEventsResolver {
    @Directive("@inaccessible")
    @Query(() => String, { name: `${service}AuditEvents`, description: `The ${service} service's audit lines, newest first, as JSON (for the ledger's auditLog).` })
    async auditEvents(
      @Arg("first", () => Int, { description: "At most this many lines." }) first: number,
      @Arg("after", () => String, { nullable: true, description: "Lines older than this auditLog cursor." }) after: string | null,
      @Arg("memberId", () => ID, { nullable: true, description: "Only lines about this member." }) memberId: string | null,
      @Arg("partnerId", () => ID, { nullable: true, description: "Only lines about this partner." }) partnerId: string | null,
      @Arg("actor", () => String, { nullable: true, description: "Only lines of this actor." }) actor: string | null,
      @Ctx() context: AuditReadContext,
    ): Promise<string> {
      if (context.identity.kind !== "service") throw denyFor(context.identity, ALLOWED.services);
      const rows = await context.auditRows({ memberId, partnerId, actor }, after == null ? null : decodeAuditCursor(after), Math.min(Math.max(first, 1), 101));
      return JSON.stringify(rows);
    }
  }
  return ServiceAuditEventsResolver;
}
