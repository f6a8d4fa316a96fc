import type { DataSource } from "typeorm";
import { badInput } from "../../../../shared/src/errors";
import { requireId } from "../../../../shared/src/validation";
import { referralBonusPoints, referralMaxPerMember } from "../settings";

/** Who referred whom, registered before the referred member is written (referral.resolver.ts); paid by record_purchases. */
export class ReferralService {
  constructor(private readonly dataSource: DataSource) {}

  async register(referrerMemberId: string, referredMemberId: string): Promise<boolean> {
    const dataSource = this.dataSource;
    const referrer = requireId(referrerMemberId, "referrerMemberId");
    const referred = requireId(referredMemberId, "referredMemberId");
    if (referrer === referred) throw badInput("A member cannot refer themself", "referralCode");
    const rows: unknown[] = await dataSource.query(
      `INSERT INTO referrals (referred_member_id, referrer_member_id, bonus_points, referrer_max)
       SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT FROM purchases WHERE member_id = $1)
       ON CONFLICT (referred_member_id) DO NOTHING RETURNING 1`,
      [referred, referrer, referralBonusPoints(), referralMaxPerMember()],
    );
    if (rows.length) return true;
    const [existing] = await dataSource.query(`SELECT referrer_member_id FROM referrals WHERE referred_member_id = $1`, [referred]);
    return existing?.referrer_member_id === referrer;
  }
}
