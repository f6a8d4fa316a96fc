/**
 * Whose a lot's issuer is to its member. A lot keeps the partner that issued its points (the clearing
 * house charges and credits that partner), but a transferred lot's issuer is where the sender earned
 * them, and points returned by a cancelled redemption keep their lot's: the member is told such an
 * issuer only when they earned points there themself. The member's data export (lots, and an EXPIRY
 * transaction's partner) and their entries (`LedgerEntry.partner` of an EXPIRY) read it from here.
 */

/**
 * True when the lot `lot` (an alias of `lots`) names another member's issuer to `member`. The member's own
 * lots are found through their postings (every lot comes with a posting to its member's account), by index:
 * lots has no index on the member alone, and a scan of every member's lots would be paid per returned lot.
 */
export const othersIssuerSql = (lot: string, member: string) =>
  `(${lot}.source = 'TRANSFER' OR (${lot}.source = 'RETURN' AND NOT EXISTS (SELECT FROM postings op JOIN lots o ON o.transaction_id = op.transaction_id ` +
  `WHERE op.member_id = ${member} AND o.member_id = ${member} AND o.partner_id = ${lot}.partner_id AND o.source NOT IN ('TRANSFER', 'RETURN'))))`;

/**
 * A transaction's partner as `member` may see it (`t` an alias of `transactions`): null for the expiry
 * of a lot whose issuer is another member's (othersIssuerSql), the stored partner otherwise.
 */
export const memberSeenPartnerSql = (t: string, member: string) =>
  `CASE WHEN ${t}.kind = 'EXPIRY' AND EXISTS (SELECT FROM lots xl WHERE xl.id = ${t}.expired_lot_id AND ${othersIssuerSql("xl", member)}) ` +
  `THEN NULL ELSE ${t}.partner_id END`;
