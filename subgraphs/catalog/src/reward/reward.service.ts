import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { DataSource, type EntityManager, In, Repository } from "typeorm";
import { type CreationKey, creationKeyOf, replayOf } from "../../../../shared/src/creation-keys";
import { isUniqueViolation } from "../../../../shared/src/database";
import { badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { preparedQuery } from "../../../../shared/src/prepared-query";
import { isUuid, requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { TierLevel } from "../../../../shared/src/enums";
import { selectColumns } from "../sql";
import { eligibilityFilter } from "./eligibility";
import type { CreateRewardInput } from "./create-reward.input";
import { RewardRecord } from "./reward.entity";
import { MAX_COST_POINTS, MAX_PER_MEMBER_LIMIT, MAX_STOCK } from "../rules/reward-limits";

/** Whose eligible rewards: the member, with the tier and spendable points the gateway passed in. */
export interface Standing {
  memberId: string;
  tier: TierLevel;
  available: number;
}

/** The most rewards `Partner.rewards` lists (its default too); more are read page by page with `rewards(partnerId:)`. */
export const PARTNER_REWARDS_MAX = 100;

export class RewardService {
  private readonly rewards: Repository<RewardRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly partnersService = new SubgraphClient("partners"),
  ) {
    this.rewards = dataSource.getRepository(RewardRecord);
  }

  findByIds(ids: string[]): Promise<RewardRecord[]> {
    return this.rewards.findBy({ id: In(ids) });
  }

  /** Each partner's first PARTNER_REWARDS_MAX rewards by cost then id (`Partner.rewards`), one statement for the batch. */
  findByPartnerIds(partnerIds: string[]): Promise<RewardRecord[]> {
    const wellFormed = partnerIds.filter(isUuid).map((id) => id.toLowerCase());
    if (!wellFormed.length) return Promise.resolve([]);
    return this.rewards
      .createQueryBuilder("r")
      .where(
        `r.id IN (SELECT f.id FROM unnest(CAST(:partnerIds AS uuid[])) p(id)
                  CROSS JOIN LATERAL (SELECT c.id FROM rewards c WHERE c.partner_id = p.id ORDER BY c.cost_points, c.id LIMIT :max) f)`,
        { partnerIds: wellFormed, max: PARTNER_REWARDS_MAX },
      )
      .orderBy("r.cost_points", "ASC")
      .addOrderBy("r.id", "ASC")
      .getMany();
  }

  /** By cost then id; `after` (a reward id) starts right after that reward, in SQL (its own cost and id). */
  list(partnerId: string | null, first: number, after: string | null = null): Promise<RewardRecord[]> {
    const query = this.rewards.createQueryBuilder("r").orderBy("r.cost_points", "ASC").addOrderBy("r.id", "ASC").limit(first);
    if (partnerId) query.andWhere("r.partner_id = :partnerId", { partnerId });
    if (after) query.andWhere("(r.cost_points, r.id) > (SELECT c.cost_points, c.id FROM rewards c WHERE c.id = :after)", { after });
    return query.getMany();
  }

  /**
   * The first `limit` rewards each member may redeem at `now`, in one statement for the whole batch:
   * the answer for `standings[i]` is `result[i]`, by cost then id. The filter is generated from the
   * eligibility list (eligibility.ts), the same conditions `redeemReward` checks. `after` (a reward id)
   * continues the list right after that reward.
   */
  async eligible(standings: Standing[], limit: number, now: Date, after: string | null = null): Promise<RewardRecord[][]> {
    if (!standings.length) return [];
    const filter = eligibilityFilter(6, now);
    const rows = await preparedQuery<RewardRecord & { ord: string }>(
      this.dataSource,
      `SELECT m.ord, ${selectColumns(this.rewards.metadata, "e")}
       FROM unnest($1::uuid[], $2::text[], $3::int[]) WITH ORDINALITY AS m(member_id, tier, available, ord)
       CROSS JOIN LATERAL (
         SELECT * FROM rewards r
         WHERE ${filter.sql}
           AND ($5::uuid IS NULL OR (r.cost_points, r.id) > (SELECT c.cost_points, c.id FROM rewards c WHERE c.id = $5::uuid))
         ORDER BY r.cost_points, r.id
         LIMIT $4
       ) e
       ORDER BY m.ord, e.cost_points, e.id`,
      [
        // A malformed member id has no redemptions (null matches none).
        standings.map((s) => (isUuid(s.memberId) ? s.memberId.toLowerCase() : null)),
        standings.map((s) => s.tier),
        standings.map((s) => s.available),
        limit,
        after,
        ...filter.params,
      ],
    );
    const result = standings.map((): RewardRecord[] => []);
    for (const { ord, ...row } of rows) result[Number(ord) - 1].push(this.rewards.create(row));
    return result;
  }

  async create(input: CreateRewardInput, caller: AuditCaller): Promise<RewardRecord> {
    const partnerId = requireId(input.partnerId, "partnerId");
    const record = this.rewards.create({
      partnerId,
      title: requireText(input.title, "title", { max: 120 }),
      description: requireText(input.description ?? "", "description", { min: 0, max: 2000 }),
      costPoints: requireInt(input.costPoints, "costPoints", { min: 1, max: MAX_COST_POINTS }),
      minimumTier: input.minimumTier,
      stock: input.stock == null ? null : requireInt(input.stock, "stock", { min: 0, max: MAX_STOCK }),
      maxPerMember: input.maxPerMember == null ? null : requireInt(input.maxPerMember, "maxPerMember", { min: 1, max: MAX_PER_MEMBER_LIMIT }),
      validFrom: input.validFrom ?? null,
      validUntil: input.validUntil ?? null,
      active: input.active ?? true,
    });
    record.initialStock = record.stock;
    if (record.validFrom && record.validUntil && record.validUntil <= record.validFrom) {
      throw badInput("validUntil must be after validFrom", "validUntil");
    }
    // A retry with the caller's key answers the reward it created (shared/src/creation-keys.ts).
    const { createdBy: _c, idempotencyKey: _k, fingerprint: _f, createdAt: _t, ...values } = record;
    const key = creationKeyOf(caller.identity, input.idempotencyKey, values);
    const replayed = key ? await this.findByKey(key) : null;
    if (replayed) return replayed;
    // Last, because it is a remote call: local mistakes are reported without one.
    const [partner] = await this.partnersService.entities("Partner", [partnerId], "id");
    if (!partner) throw notFound(`No partner with id "${partnerId}"`);
    Object.assign(record, { createdBy: key?.createdBy ?? null, idempotencyKey: key?.key ?? null, fingerprint: key?.fingerprint ?? null });
    try {
      return await this.rewards.manager.transaction(async (tx) => {
        const saved = await tx.save(record);
        await auditWrite(tx, caller, { action: "CREATE_REWARD", partnerId, targetId: saved.id });
        return saved;
      });
    } catch (error) {
      // The same key sent twice at once: the other one committed first.
      if (!key || !isUniqueViolation(error, "rewards_creation_key")) throw error;
      return (await this.findByKey(key))!;
    }
  }

  /** The reward the caller created with this key, or null; IDEMPOTENCY_CONFLICT when it was made from other input. */
  private async findByKey(key: CreationKey): Promise<RewardRecord | null> {
    const [found] = await this.rewards.manager.query(`SELECT id, fingerprint FROM rewards WHERE created_by = $1 AND idempotency_key = $2`, [key.createdBy, key.key]);
    if (!found) return null;
    replayOf(found as { fingerprint: string }, key);
    return this.rewards.findOneByOrFail({ id: found.id });
  }

  /** Takes one unit of stock inside the caller's transaction; false when none is left. Unlimited stock stays null. */
  async takeStock(manager: EntityManager, rewardId: string): Promise<{ taken: boolean; limited: boolean }> {
    const result = await manager
      .createQueryBuilder()
      .update(RewardRecord)
      .set({ stock: () => "stock - 1" })
      .where("id = :rewardId AND (stock IS NULL OR stock > 0)", { rewardId })
      .returning("stock")
      .execute();
    const row = (result.raw as { stock: number | null }[])[0];
    return { taken: row !== undefined, limited: row?.stock != null };
  }

  /** Gives back a unit taken by `takeStock` (limited stock only). */
  async returnStock(manager: EntityManager, rewardId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(RewardRecord)
      .set({ stock: () => "stock + 1" })
      .where("id = :rewardId AND stock IS NOT NULL", { rewardId })
      .execute();
  }
}
