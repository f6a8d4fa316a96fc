import { intFromEnv } from "../../../../shared/src/config";
import { notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import type { EarnRule } from "./earn-rule";

/**
 * What a purchase needs from other services, kept between requests so that a checkout costs no call
 * to them in the common case: a partner's earn rule for as long as the partners service lets it be
 * kept (PARTNER_CACHE_SECONDS, its public cache hint), and the fact that a member exists (members
 * are never deleted). Only found partners and members are kept: a new one is seen at once.
 */
export class PurchaseReferences {
  private readonly rules = new Map<string, { rule: EarnRule; expires: number }>();
  private readonly members = new Set<string>();

  constructor(
    private readonly partnersService = new SubgraphClient("partners"),
    private readonly membersService = new SubgraphClient("members"),
    private readonly ruleSeconds = intFromEnv("PARTNER_CACHE_SECONDS", 60),
    private readonly maxEntries = 100_000,
  ) {}

  /** The partner's earn rule, and proof that the member exists (both owned by other services). */
  async earnRule(partnerId: string, memberId: string, now = Date.now()): Promise<EarnRule> {
    const kept = this.rules.get(partnerId);
    const [rule, memberFound] = await Promise.all([
      kept && kept.expires > now ? kept.rule : this.fetchRule(partnerId, now),
      this.members.has(memberId) || this.fetchMember(memberId),
    ]);
    if (!rule) throw notFound(`No partner with id ${partnerId}`);
    if (!memberFound) throw notFound(`No member with id ${memberId}`);
    return rule;
  }

  private async fetchRule(partnerId: string, now: number): Promise<EarnRule | null> {
    const [rule] = await this.partnersService.entities<EarnRule>("Partner", [partnerId], "id pointsPerUnit currency returnWindowDays");
    if (rule && this.ruleSeconds > 0) {
      if (this.rules.size >= this.maxEntries) this.rules.clear();
      this.rules.set(partnerId, { rule, expires: now + this.ruleSeconds * 1000 });
    }
    return rule;
  }

  private async fetchMember(memberId: string): Promise<boolean> {
    const [member] = await this.membersService.entities<{ id: string }>("Member", [memberId], "id");
    if (member) {
      if (this.members.size >= this.maxEntries) this.members.clear();
      this.members.add(memberId);
    }
    return Boolean(member);
  }
}
