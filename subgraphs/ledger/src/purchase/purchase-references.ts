import { partnerCacheSeconds } from "../../../../shared/src/config";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import type { EarnRule } from "./earn-rule";

/**
 * What a purchase needs from other services. A partner's earn rule is kept between requests for as
 * long as the partners service lets it be kept (PARTNER_CACHE_SECONDS, its public cache hint), so a
 * checkout costs no call to it in the common case; only found partners are kept, so a new one is seen
 * at once. Members are asked about only when the ledger has no account for them yet (members are never
 * deleted, so an account is proof enough).
 */
export class PurchaseReferences {
  private readonly rules = new Map<string, { rule: EarnRule; expires: number }>();

  constructor(
    private readonly partnersService = new SubgraphClient("partners"),
    private readonly membersService = new SubgraphClient("members"),
    private readonly ruleSeconds = partnerCacheSeconds(),
    private readonly maxEntries = 100_000,
  ) {}

  /** The partner's earn rule, or null when there is no such partner. */
  async earnRule(partnerId: string, requestId?: string, now = Date.now()): Promise<EarnRule | null> {
    const kept = this.rules.get(partnerId);
    if (kept && kept.expires > now) return kept.rule;
    const [rule] = await this.partnersService.forRequest(requestId).entities<EarnRule>("Partner", [partnerId], "id pointsPerUnit currency returnWindowDays category");
    if (rule && this.ruleSeconds > 0) {
      if (this.rules.size >= this.maxEntries) this.rules.clear();
      this.rules.set(partnerId, { rule, expires: now + this.ruleSeconds * 1000 });
    }
    return rule ?? null;
  }

  async memberExists(memberId: string, requestId?: string): Promise<boolean> {
    const [member] = await this.membersService.forRequest(requestId).entities<{ id: string }>("Member", [memberId], "id");
    return Boolean(member);
  }
}
