import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { ClearingService } from "../clearing/clearing.service";
import { settlementCurrencyOfTools } from "../clearing/settlement-currency";
import type { ClearingReport } from "../clearing/statement.types";
import { systemClock } from "../clock";
import { runLedgerTool } from "./ledger-database";

/**
 * `npm run clearing:export -- --period 2026-11 [--out statements.csv]`: a period's statements as CSV
 * for a finance system (stdout without --out): one row per statement line and one NET row per
 * statement, amounts in minor units of the settlement currency. A closed period exports what was
 * stored (with each statement's number and hash); an open one its live figures, in the currency recorded in
 * the ledger's database (a SETTLEMENT_CURRENCY that disagrees with it is refused: settlementCurrencyOfTools).
 */
export const CSV_HEADER = "period,status,statement_number,partner_id,currency,line,points,amount,hash";

export function reportCsv(report: ClearingReport): string {
  const rows = [CSV_HEADER];
  for (const s of report.statements) {
    const common = [report.period, report.status, s.number ?? "", s.partner.id, s.currency];
    for (const line of s.lines) rows.push([...common, line.kind, line.points, line.amount, s.hash ?? ""].join(","));
    rows.push([...common, "NET", "", s.netAmount, s.hash ?? ""].join(","));
  }
  return `${rows.join("\n")}\n`;
}

function argument(name: string, argv = process.argv): string | null {
  const index = argv.indexOf(name);
  return index === -1 ? null : (argv[index + 1] ?? null);
}

runLedgerTool(module, async (dataSource) => {
  const period = argument("--period");
  if (!period) throw new Error("Usage: npm run clearing:export -- --period YYYY-MM [--out file.csv]");
  const currency = await settlementCurrencyOfTools(dataSource);
  const csv = reportCsv(await new ClearingService(dataSource, systemClock, currency).report(period));
  const out = argument("--out");
  if (out) writeFileSync(out, csv);
  else process.stdout.write(csv);
});
