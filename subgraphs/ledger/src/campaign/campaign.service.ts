import type { DataSource } from "typeorm";
import { auditWrite } from "../../../../shared/src/audit/record-audit";
import { type CreationKey, creationKeyOf, replayOf } from "../../../../shared/src/creation-keys";
import { isUniqueViolation } from "../../../../shared/src/database";
import { isAdmin, requireAdmin, requirePartner } from "../../../../shared/src/auth/policy";
import type { Identity } from "../../../../shared/src/auth/proof";
import { badInput, notFound } from "../../../../shared/src/errors";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import type { Clock } from "../clock";
import {
  DAY_MS,
  MAX_AFTER_PURCHASE_DAYS,
  MAX_AMOUNT_MINOR,
  MAX_BONUS_PERCENT,
  MAX_BONUS_POINTS,
  MAX_CAMPAIGN_DAYS,
  MAX_CAMPAIGN_NAME,
  MAX_CAMPAIGN_SCOPE,
  campaignActiveSql,
} from "../rules";
import type { Campaign } from "./campaign.type";
import { CAMPAIGNS_WITH_TOTALS, CAMPAIGN_COLUMNS, type CampaignRow, toCampaign } from "./campaign.row";
import type { CreateCampaignInput } from "./create-campaign.input";
import { rememberPartnerCategories } from "./partner-categories";

const MAX_LIMIT = Number.MAX_SAFE_INTEGER;
/** What `campaigns` lists without paging (the newest); campaignsConnection pages through all of them. */
export const CAMPAIGNS_LIST_LIMIT = 200;
/** Active at `now` (over CAMPAIGNS_WITH_TOTALS: the campaign `c`, its totals `t`): rules/campaigns.ts campaignActiveSql. */
const ACTIVE_SQL = (now: string) =>
  campaignActiveSql({ startsAt: "c.starts_at", endsAt: "c.ends_at", endedAt: "c.ended_at", budgetPoints: "t.budget_points", pointsAwarded: "t.points_awarded" }, now);

export class CampaignService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly partners: SubgraphClient,
  ) {}

  /** Validates everything first (nothing is written on bad input), then checks the partners exist, then writes one row. */
  async create(identity: Identity, input: CreateCampaignInput, requestId?: string | null): Promise<Campaign> {
    const now = this.clock.now();
    // null or absent is the coalition; any other value (an empty string included) must be a partner id.
    const funder = input.fundedByPartnerId != null ? requireId(input.fundedByPartnerId, "fundedByPartnerId") : null;
    // Who may: decided before any lookup. The coalition's money is the admins'; a partner app funds only itself.
    // The denial names the field and what to send: a partner app leaving fundedByPartnerId out was left guessing (outside audit).
    if (funder === null) requireAdmin(identity, "Only admins create coalition campaigns (fundedByPartnerId null); a partner app funds its own: fundedByPartnerId is its partner's id", "fundedByPartnerId");
    else requirePartner(identity, funder, "A partner app funds only its own campaigns (fundedByPartnerId is its partner's id); admins fund any", "fundedByPartnerId");
    const name = requireText(input.name, "name", { max: MAX_CAMPAIGN_NAME });
    let partnerIds = [...new Set((input.partnerIds ?? []).map((id) => requireId(id, "partnerIds")))];
    const categories = [...new Set(input.categories ?? [])];
    if (partnerIds.length > MAX_CAMPAIGN_SCOPE) throw badInput(`partnerIds may list at most ${MAX_CAMPAIGN_SCOPE} partners`, "partnerIds");
    const afterPartner = input.afterPurchaseAtPartnerId != null ? requireId(input.afterPurchaseAtPartnerId, "afterPurchaseAtPartnerId") : null;
    if (!isAdmin(identity)) {
      // A partner app's campaign covers purchases at itself only: categories and other partners reach brands that did not agree.
      if (partnerIds.some((id) => id !== funder)) throw badInput("A partner app's campaign may only cover purchases at the funding partner", "partnerIds");
      if (categories.length) throw badInput("Only admins may create campaigns that cover categories", "categories");
      // Its bonuses tell the funder which members earned at the partner named (any member id it records a purchase for):
      // that partner's customers, so only with that partner's agreement, which admins arrange (outside review, privacy).
      if (afterPartner !== null && afterPartner !== funder) {
        throw badInput("A partner app's cross-brand condition may only name the funding partner (a repeat visit); one on another partner's purchases tells the funder who shops there, so admins create it once that partner agrees", "afterPurchaseAtPartnerId");
      }
    }
    if (!partnerIds.length && !categories.length && funder) partnerIds = [funder];
    const startsAt = requireDate(input.startsAt, "startsAt");
    const endsAt = requireDate(input.endsAt, "endsAt");
    if (endsAt.getTime() <= startsAt.getTime()) throw badInput("endsAt must be after startsAt", "endsAt");
    if (endsAt.getTime() <= now.getTime()) throw badInput("endsAt must be in the future", "endsAt");
    if (endsAt.getTime() - startsAt.getTime() > MAX_CAMPAIGN_DAYS * DAY_MS) throw badInput(`A campaign lasts at most ${MAX_CAMPAIGN_DAYS} days`, "endsAt");
    const minAmountMinor = requireInt(input.minAmountMinor ?? 0, "minAmountMinor", { min: 0, max: MAX_AMOUNT_MINOR });
    const hasPercent = input.bonusPercent !== null && input.bonusPercent !== undefined;
    const hasPoints = input.bonusPoints !== null && input.bonusPoints !== undefined;
    if (hasPercent === hasPoints) throw badInput("Give exactly one of bonusPercent and bonusPoints", hasPercent ? "bonusPoints" : "bonusPercent");
    const bonusPercent = hasPercent ? requireInt(input.bonusPercent!, "bonusPercent", { min: 1, max: MAX_BONUS_PERCENT }) : null;
    const bonusPoints = hasPoints ? requireInt(input.bonusPoints!, "bonusPoints", { min: 1, max: MAX_BONUS_POINTS }) : null;
    const afterDays = input.afterPurchaseWithinDays ?? null;
    if ((afterPartner === null) !== (afterDays === null)) {
      throw badInput("Give both afterPurchaseAtPartnerId and afterPurchaseWithinDays, or neither", afterPartner ? "afterPurchaseWithinDays" : "afterPurchaseAtPartnerId");
    }
    if (afterDays !== null) requireInt(afterDays, "afterPurchaseWithinDays", { min: 1, max: MAX_AFTER_PURCHASE_DAYS });
    const maxBonusPerMember = optionalLimit(input.maxBonusPerMember, "maxBonusPerMember");
    const budgetPoints = optionalLimit(input.budgetPoints, "budgetPoints");

    await this.requirePartnersExist([
      ...(funder ? [{ id: funder, field: "fundedByPartnerId" }] : []),
      ...partnerIds.map((id) => ({ id, field: "partnerIds" })),
      ...(afterPartner ? [{ id: afterPartner, field: "afterPurchaseAtPartnerId" }] : []),
    ]);
    const values = [name, funder, partnerIds, categories, startsAt, endsAt, minAmountMinor, input.minimumTier ?? null, input.firstPurchaseAtPartner ?? false,
      afterPartner, afterDays, bonusPercent, bonusPoints, maxBonusPerMember, budgetPoints];
    // A retry with the caller's key answers the campaign it created (shared/src/creation-keys.ts). The lists are
    // sets: a retry that sends them in another order (built from a set, say) is the same input.
    const asSets = values.map((value) => (value === partnerIds || value === categories ? [...value].sort() : value));
    const key = creationKeyOf(identity, input.idempotencyKey, asSets);
    const replayed = key ? await this.findByKey(key) : null;
    if (replayed) return toCampaign(replayed, now);
    try {
      // The campaign and its totals row, in one statement; its audit line in the same transaction.
      const row = await this.dataSource.transaction(async (tx) => {
        const [created]: CampaignRow[] = await tx.query(
          `WITH c AS (
             INSERT INTO campaigns (name, funded_by_partner_id, partner_ids, categories, starts_at, ends_at, min_amount_minor, minimum_tier,
                                    first_purchase_at_partner, after_partner_id, after_within_days, bonus_percent, bonus_points, max_bonus_per_member,
                                    created_by, idempotency_key, fingerprint)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $16, $17, $18) RETURNING *
           ), t AS (
             INSERT INTO campaign_totals (campaign_id, budget_points) SELECT c.id, $15 FROM c RETURNING *
           )
           SELECT ${CAMPAIGN_COLUMNS} FROM c JOIN t ON t.campaign_id = c.id`,
          [...values, key?.createdBy ?? null, key?.key ?? null, key?.fingerprint ?? null],
        );
        await auditWrite(tx, { identity, requestId }, { action: "CREATE_CAMPAIGN", partnerId: funder, targetId: created.id });
        return created;
      });
      return toCampaign(row, now);
    } catch (error) {
      // The same key sent twice at once: the other one committed first.
      if (!key || !isUniqueViolation(error, "campaigns_creation_key")) throw error;
      return toCampaign((await this.findByKey(key))!, now);
    }
  }

  /** The campaign the caller created with this key, or null; IDEMPOTENCY_CONFLICT when it was made from other input. */
  private async findByKey(key: CreationKey): Promise<CampaignRow | null> {
    const [found]: CampaignRow[] = await this.dataSource.query(`SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGNS_WITH_TOTALS} WHERE c.created_by = $1 AND c.idempotency_key = $2`, [
      key.createdBy,
      key.key,
    ]);
    return found ? replayOf(found, key) : null;
  }

  /** Ends a campaign now (no purchase recorded after earns its bonus); ending an ended one returns it unchanged. */
  async end(identity: Identity, id: string, requestId?: string | null): Promise<Campaign> {
    if (identity.kind !== "partner") requireAdmin(identity);
    const campaignId = requireId(id, "id");
    const now = this.clock.now();
    const [found]: CampaignRow[] = await this.dataSource.query(`SELECT * FROM campaigns WHERE id = $1`, [campaignId]);
    // Not the caller's and not there read alike.
    if (!found || (!isAdmin(identity) && (identity.kind !== "partner" || found.funded_by_partner_id !== identity.partnerId))) {
      throw notFound(`No campaign with id ${campaignId}`);
    }
    // Ending it again changes nothing and adds no line (README, The audit trail: a replay); the line commits with the end.
    const row = await this.dataSource.transaction(async (tx) => {
      // An UPDATE's raw result is [rows, count]: the rows it ended (none for an ended one) are its first element.
      const [ended] = (await tx.query(`UPDATE campaigns SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id`, [campaignId, now])) as [{ id: string }[], number];
      if (ended.length) {
        // Under the budget row's lock too, where a purchase waiting for it reads it again (sql/campaign-bonuses.ts CAMPAIGN_TOTALS_ENDS_UNDER_LOCK).
        await tx.query(`UPDATE campaign_totals SET ended = true WHERE campaign_id = $1`, [campaignId]);
        await auditWrite(tx, { identity, requestId }, { action: "END_CAMPAIGN", partnerId: found.funded_by_partner_id, targetId: campaignId });
      }
      const [current]: CampaignRow[] = await tx.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c JOIN campaign_totals t ON t.campaign_id = c.id WHERE c.id = $1`, [campaignId]);
      return current;
    });
    return toCampaign(row, now);
  }

  /** A funder's campaigns (a partner app: its own only), or every campaign for an admin; newest first, at most 200. */
  /**
   * Campaigns newest first (creation time, then id, both descending), at most `limit`; `after` (a
   * campaign id, from a cursor) starts right after that campaign, read from its own row. A cursor of a
   * campaign this list does not hold (another funder's, or none) gives an empty page.
   */
  async list(identity: Identity, partnerId: string | null, activeOnly: boolean, limit = CAMPAIGNS_LIST_LIMIT, after: string | null = null): Promise<Campaign[]> {
    // Not `partnerId ?`: an empty string names no partner (BAD_USER_INPUT), it is not "every campaign".
    const funder = partnerId != null ? requireId(partnerId, "partnerId") : null;
    if (funder) requirePartner(identity, funder);
    else requireAdmin(identity);
    const now = this.clock.now();
    const rows: CampaignRow[] = await this.dataSource.query(
      `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGNS_WITH_TOTALS} WHERE ($1::uuid IS NULL OR c.funded_by_partner_id = $1) AND (NOT $2 OR (${ACTIVE_SQL("$3")}))
         AND ($5::uuid IS NULL OR (c.created_at, c.id) < (SELECT a.created_at, a.id FROM campaigns a WHERE a.id = $5 AND ($1::uuid IS NULL OR a.funded_by_partner_id = $1)))
       ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [funder, activeOnly, now, limit, after],
    );
    return rows.map((row) => toCampaign(row, now));
  }

  /** Every partner named must exist (BAD_USER_INPUT naming the field otherwise); their categories are remembered on the way. */
  private async requirePartnersExist(named: { id: string; field: string }[]): Promise<void> {
    const ids = [...new Set(named.map((n) => n.id))];
    const found = await this.partners.entities<{ id: string; category: string }>("Partner", ids, "id category");
    const missing = named.find((n) => !found[ids.indexOf(n.id)]);
    if (missing) throw badInput(`${missing.field}: no partner with id ${missing.id}`, missing.field);
    await rememberPartnerCategories(this.dataSource.manager, found.filter((p): p is { id: string; category: string } => p !== null));
  }
}

function requireDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} must be a date and time`, field);
  return value;
}

function optionalLimit(value: number | null | undefined, field: string): number | null {
  return value === null || value === undefined ? null : requireInt(value, field, { min: 1, max: MAX_LIMIT });
}

