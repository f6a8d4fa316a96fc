import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { DataSource, Repository } from "typeorm";
import { badInput, conflict } from "../../../../shared/src/errors";
import { quoted } from "../../../../shared/src/quoted";
import { isUniqueViolation } from "../../../../shared/src/database";
import { preparedFindByIds } from "../../../../shared/src/prepared-by-id";
import { requireDecimal, requireInt, requireText } from "../../../../shared/src/validation";
import { PartnerRecord } from "./partner.entity";
import type { RegisterPartnerInput } from "./register-partner.input";
import { MAX_POINTS_PER_UNIT, MAX_RETURN_WINDOW_DAYS, POINTS_PER_UNIT_DECIMALS } from "../rules/earn-rule";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export class PartnerService {
  private readonly partners: Repository<PartnerRecord>;

  constructor(private readonly dataSource: DataSource) {
    this.partners = dataSource.getRepository(PartnerRecord);
  }

  findByIds(ids: string[]): Promise<PartnerRecord[]> {
    return preparedFindByIds(this.dataSource, PartnerRecord, ids);
  }

  list(): Promise<PartnerRecord[]> {
    return this.partners.find({ order: { name: "ASC", id: "ASC" } });
  }

  async register(input: RegisterPartnerInput, caller: AuditCaller): Promise<PartnerRecord> {
    const slug = input.slug.trim();
    if (slug.length < 2 || slug.length > 50 || !SLUG.test(slug)) {
      throw badInput("slug must be 2 to 50 lowercase letters, digits and single hyphens, e.g. `city-grocer`", "slug");
    }
    const currency = input.currency.trim().toUpperCase();
    if (!CURRENCIES.has(currency)) throw badInput(`currency must be an ISO 4217 code such as EUR or USD, got ${quoted(input.currency)}`, "currency");
    const ppu = requireDecimal(input.pointsPerUnit, "pointsPerUnit", { above: 0, max: MAX_POINTS_PER_UNIT, decimals: POINTS_PER_UNIT_DECIMALS });
    const record = this.partners.create({
      slug,
      name: requireText(input.name, "name", { max: 100 }),
      category: input.category,
      pointsPerUnit: String(ppu),
      currency,
      returnWindowDays: requireInt(input.returnWindowDays, "returnWindowDays", { min: 0, max: MAX_RETURN_WINDOW_DAYS }),
    });
    try {
      return await this.partners.manager.transaction(async (tx) => {
        const saved = await tx.save(record);
        await auditWrite(tx, caller, { action: "REGISTER_PARTNER", partnerId: saved.id });
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error, "partners_slug_key")) throw conflict(`A partner with slug "${slug}" already exists`, "slug");
      throw error;
    }
  }
}
