import { DataSource, In, Repository } from "typeorm";
import { isUniqueViolation } from "../../../../shared/src/database";
import { conflict, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireText } from "../../../../shared/src/validation";
import { MemberRecord } from "../member/member.entity";
import { PartnerAccountRecord } from "./partner-account.entity";
import type { LinkPartnerAccountInput } from "./link-partner-account.input";

export class PartnerAccountService {
  private readonly accounts: Repository<PartnerAccountRecord>;
  private readonly members: Repository<MemberRecord>;

  constructor(dataSource: DataSource, private readonly partners = new SubgraphClient("partners")) {
    this.accounts = dataSource.getRepository(PartnerAccountRecord);
    this.members = dataSource.getRepository(MemberRecord);
  }

  findByMemberIds(memberIds: string[]): Promise<PartnerAccountRecord[]> {
    return this.accounts.find({ where: { memberId: In(memberIds) }, order: { linkedAt: "ASC", partnerId: "ASC" } });
  }

  /** Linking is idempotent: the same link again returns it; a different account id for the same pair is a conflict. */
  async link(input: LinkPartnerAccountInput): Promise<PartnerAccountRecord> {
    const memberId = requireId(input.memberId, "memberId");
    const partnerId = requireId(input.partnerId, "partnerId");
    const externalId = requireText(input.externalId, "externalId", { max: 100 });
    if (!(await this.members.existsBy({ id: memberId }))) throw notFound(`No member with id ${memberId}`);
    const [partner] = await this.partners.entities<{ id: string }>("Partner", [partnerId], "id");
    if (!partner) throw notFound(`No partner with id ${partnerId}`);

    const existing = await this.accounts.findOneBy({ memberId, partnerId });
    if (existing) return this.sameOrConflict(existing, externalId);
    try {
      return await this.accounts.save(this.accounts.create({ memberId, partnerId, externalId }));
    } catch (error) {
      if (isUniqueViolation(error, "partner_accounts_pkey")) {
        return this.sameOrConflict(await this.accounts.findOneByOrFail({ memberId, partnerId }), externalId);
      }
      if (isUniqueViolation(error, "partner_accounts_partner_external_key")) {
        throw conflict(`Account id "${externalId}" at this partner is already linked to another member`, "externalId");
      }
      throw error;
    }
  }

  private sameOrConflict(existing: PartnerAccountRecord, externalId: string): PartnerAccountRecord {
    if (existing.externalId === externalId) return existing;
    throw conflict(`This member is already linked to this partner with account id "${existing.externalId}"`, "externalId");
  }
}
