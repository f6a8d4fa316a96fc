import { Client } from "pg";
import { withDatabase } from "../../shared/src/config";
import { STATEMENT_LINES } from "../../subgraphs/ledger/src/rules";
import { ok } from "./gateway";
import { ledgerTool, travel } from "./ledger";

/** Helpers for the clearing-house suites: terms, statements, the ledger's clock at a chosen instant, its tools. */

const DAY = 86_400_000;

export const STATEMENT_FIELDS = `period status currency number hash pointsIssued pointsReversed pointsRedeemed pointsExpired
  issuedAmount reversedAmount redeemedAmount expiredAmount netAmount lines { kind points amount }
  counterparts { partner { id } pointsIssuedRedeemedThere pointsRedeemedHereIssuedThere }`;

export async function setTerms(partnerId: string, terms: { issue: number; redemption: number; share: number; billing?: string }, effectiveFrom?: string) {
  const { setPartnerTerms } = await ok(`mutation($input: SetPartnerTermsInput!) { setPartnerTerms(input: $input) { version effectiveFrom billing } }`, {
    input: {
      partnerId,
      issuePricePer1000: terms.issue,
      redemptionPricePer1000: terms.redemption,
      breakageSharePercent: terms.share,
      billing: terms.billing ?? "POSTPAID",
      ...(effectiveFrom ? { effectiveFrom } : {}),
    },
  });
  return setPartnerTerms;
}

export async function statementOf(partnerId: string, period: string) {
  const { partner } = await ok(`query($id: ID!, $period: String!) { partner(id: $id) { statement(period: $period) { ${STATEMENT_FIELDS} } } }`, { id: partnerId, period });
  return partner.statement;
}

/** A statement's counterparts by partner id, as [id, issued here redeemed there, redeemed here issued there]. */
export const counterparts = (statement: { counterparts: { partner: { id: string }; pointsIssuedRedeemedThere: number; pointsRedeemedHereIssuedThere: number }[] }) =>
  Object.fromEntries(statement.counterparts.map((c) => [c.partner.id, [c.pointsIssuedRedeemedThere, c.pointsRedeemedHereIssuedThere]]));

/** Moves the ledger's clock so that its now is `at` (give or take the milliseconds the request takes). */
export const travelTo = (at: Date) => travel((at.getTime() - Date.now()) / DAY);

/** The first day (UTC) of the month `months` after the one holding `at`. */
export const monthStart = (at: Date, months = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
export const periodOf = (at: Date) => at.toISOString().slice(0, 7);

export const ledgerDatabaseUrl = () => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger${process.env.TEST_DATABASE_NAME_SUFFIX}`);

export async function ledgerClient(): Promise<Client> {
  const client = new Client({ connectionString: ledgerDatabaseUrl() });
  await client.connect();
  return client;
}

/** Runs `write` in one transaction of its own on the ledger's database (committed, or rolled back if it throws). */
export async function inLedgerTransaction<T>(write: (db: Client) => Promise<T>): Promise<T> {
  const db = await ledgerClient();
  try {
    await db.query("BEGIN");
    const result = await write(db);
    await db.query("COMMIT");
    return result;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

export async function expectClearingConsistent(): Promise<void> {
  const { code, output } = await ledgerTool("clearing-verify");
  if (code !== 0) throw new Error(`clearing:verify failed:\n${output}`);
  expect(output).toContain("Every statement matches the ledger.");
}

/** clearing:verify's verdict with the allowance moved by `points` in the database, put back afterwards whatever happens. */
export async function verifyWithAllowanceMoved(partnerId: string, points: number) {
  const move = (by: number) => inLedgerTransaction((db) => db.query(`UPDATE prepaid_allowances SET remaining = remaining + $2 WHERE partner_id = $1`, [partnerId, by]));
  await move(points);
  try {
    const { code, output } = await ledgerTool("clearing-verify");
    return { code, flagsThisAllowance: /FAIL prepaid allowances/.test(output) && output.includes(`${partnerId}: recorded`) };
  } finally {
    await move(-points);
  }
}

/** Runs clearing:verify with a movement's recorded price and its line's value changed in the database, put back afterwards. */
export async function verifyWithPriceChanged(transactionId: string, line: string, price: { per1000: number; share: number }) {
  const change = (to: { per1000: number; share: number } | null) =>
    inLedgerTransaction(async (db) => {
      const [mp] = (await db.query(`SELECT t.posted_at, mp.partner_id, mp.price_per_1000::int AS p, mp.share_percent AS s FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id
        WHERE mp.transaction_id = $1 AND mp.line = $2`, [transactionId, line])).rows;
      // The line's own postings (a refund also posts to the issuance account when it takes expired points back off the breakage).
      const kinds = [...new Set(STATEMENT_LINES.filter((r) => r.line === line).map((r) => r.accountKind))];
      const [points] = (await db.query(`SELECT abs(sum(p.amount))::bigint AS n FROM postings p JOIN accounts a ON a.id = p.account_id
        WHERE p.transaction_id = $1 AND p.member_id IS NULL AND a.kind = ANY($2)`, [transactionId, kinds])).rows;
      const target = to ?? saved!;
      const delta = BigInt(points.n) * (BigInt(target.per1000) * BigInt(target.share) - BigInt(mp.p) * BigInt(mp.s));
      if (!to) saved = null; else saved ??= { per1000: mp.p, share: mp.s };
      await db.query(`ALTER TABLE movement_prices DISABLE TRIGGER movement_prices_append_only`);
      await db.query(`UPDATE movement_prices SET price_per_1000 = $3, share_percent = $4 WHERE transaction_id = $1 AND line = $2`, [transactionId, line, target.per1000, target.share]);
      await db.query(`ALTER TABLE movement_prices ENABLE TRIGGER movement_prices_append_only`);
      // The line's points are signed by the rule (cancellations: −amount on the redemption account, so points > 0).
      await db.query(`UPDATE clearing_totals SET value = value + $4 WHERE period = date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC')::date AND partner_id = $2 AND line = $3`,
        [mp.posted_at, mp.partner_id, line, delta.toString()]);
    });
  let saved: { per1000: number; share: number } | null = null;
  await change(price);
  try {
    return await ledgerTool("clearing-verify");
  } finally {
    await change(null);
  }
}
