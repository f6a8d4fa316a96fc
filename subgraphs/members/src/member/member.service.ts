import { DataSource, In, Repository } from "typeorm";
import { isUniqueViolation } from "../../../../shared/src/database";
import { badInput, conflict } from "../../../../shared/src/errors";
import { requireId, requireText } from "../../../../shared/src/validation";
import { MemberRecord } from "./member.entity";
import type { EnrollMemberInput } from "./enroll-member.input";

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is checked by email, not regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw badInput(`"${email}" is not a valid email address`, "email");
  return normalized;
}

export class MemberService {
  private readonly members: Repository<MemberRecord>;

  constructor(dataSource: DataSource) {
    this.members = dataSource.getRepository(MemberRecord);
  }

  findByIds(ids: string[]): Promise<MemberRecord[]> {
    return this.members.findBy({ id: In(ids) });
  }

  findByEmail(email: string): Promise<MemberRecord | null> {
    return this.members.findOneBy({ email: normalizeEmail(email) });
  }

  /** Members in enrolment order; `after` is the id of the last member of the previous page. */
  async list(first: number, after?: string | null): Promise<MemberRecord[]> {
    const query = this.members.createQueryBuilder("m").orderBy("m.enrolled_at", "ASC").addOrderBy("m.id", "ASC").limit(first);
    if (after) {
      const id = requireId(after, "after");
      if (!(await this.members.existsBy({ id }))) throw badInput(`after must be the id of a member, got "${after}"`, "after");
      // Compared in SQL: a JS Date would round enrolled_at's microseconds away.
      query.where("(m.enrolled_at, m.id) > (SELECT c.enrolled_at, c.id FROM members c WHERE c.id = :id)", { id });
    }
    return query.getMany();
  }

  async enroll(input: EnrollMemberInput): Promise<MemberRecord> {
    const email = normalizeEmail(input.email);
    const displayName = requireText(input.displayName, "displayName", { max: 80 });
    try {
      return await this.members.save(this.members.create({ email, displayName }));
    } catch (error) {
      if (isUniqueViolation(error, "members_email_key")) throw conflict(`A member with email ${email} is already enrolled`, "email");
      throw error;
    }
  }
}
