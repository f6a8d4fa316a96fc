import type { DataSource } from "typeorm";
import { settlementCurrencyConflict } from "../rules";
import { settlementCurrency, settlementCurrencyNamed } from "../settings";

/**
 * Run at start, after the migrations, before the ledger serves (subgraph.ts `checkDatabase`): records
 * SETTLEMENT_CURRENCY in the database when none is recorded (or nothing is priced yet), and throws,
 * naming both, when the setting differs from the currency its terms and closed periods are in, or when
 * the database has amounts but nothing recorded (from before SettlementCurrency1734890000001) and
 * SETTLEMENT_CURRENCY is not set (rules/clearing-periods.ts `settlementCurrencyConflict`).
 */
export async function recordSettlementCurrency(dataSource: DataSource): Promise<void> {
  const configured = settlementCurrency();
  await dataSource.transaction(async (tx) => {
    // One starting process decides at a time, and no terms or close commit between its check and its write.
    await tx.query(`LOCK TABLE settlement_currency IN EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE partner_terms, settlement_periods IN SHARE MODE`);
    const [row]: { currency: string }[] = await tx.query(`SELECT currency FROM settlement_currency`);
    const [{ priced }]: { priced: boolean }[] = await tx.query(`SELECT EXISTS (SELECT FROM partner_terms) OR EXISTS (SELECT FROM settlement_periods) AS priced`);
    const conflict = settlementCurrencyConflict(row?.currency ?? null, configured, priced, settlementCurrencyNamed());
    if (conflict) throw new Error(conflict);
    if (row?.currency === configured) return;
    await tx.query(
      `INSERT INTO settlement_currency (currency) VALUES ($1) ON CONFLICT (one) DO UPDATE SET currency = EXCLUDED.currency, recorded_at = now()`,
      [configured],
    );
  });
}
