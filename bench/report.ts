import type { GatewayName } from "./gateways";
import type { LoadResult } from "./load";
import type { PurchaseCapacity } from "./purchase-capacity";
import type { CampaignPurchases, StatementFigures, Target, TargetSpread, ValuationPurchases } from "./targets";

/** One measured gateway: what it is, or why it was skipped. */
export interface GatewayEntry {
  name: GatewayName;
  label: string;
  skipped?: string;
}

/** Everything one run (of `--repeat N`) measured. */
export interface RunResults {
  startedAt: string;
  /** 1-minute load average of the machine when the run started and ended (on `machine.cpus` CPUs). */
  loadAverage: { start: number; end: number };
  /** The gateways in the order they took their first turn in this run's windows. */
  order: GatewayName[];
  headline: Partial<Record<GatewayName, Record<string, LoadResult>>>;
  recordPurchase: LoadResult & { concurrency: number; verifyClean: boolean; verifyOutput: string; directPerSecond: number; directFailures: number; capacity: PurchaseCapacity; valuation: ValuationPurchases; campaigns: CampaignPurchases };
  history: { lightEntries: number; heavyEntries: number; lightP50: number; heavyP50: number; failures: number };
  /** Further scenarios (bench/run.ts SCENARIOS), by name. */
  scenarios: Record<string, ScenarioResult>;
  /** A partner's open statement vs a member's balance read, side by side (the clearing house's target). */
  statement: StatementFigures;
  targets: Target[];
}

/** What a scenario of SCENARIOS reports: one load's figures, and any figures of its own. */
export interface ScenarioResult {
  label: string;
  concurrency: number;
  load: LoadResult;
  notes?: string;
}

/**
 * A whole `npm run bench`: the median run's figures at the top level (what the README shows), every
 * run in `runs`, and each target with its spread over the runs.
 */
export interface BenchResults extends RunResults {
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  dataset: { members: number; partners: number; rewards: number; ledgerEntries: number; heavyMemberEntries: number; seedSeconds: number };
  settings: { workers: number; durationSeconds: number; concurrency: number[]; repeat: number; rounds: number; windowWarmupSeconds: number };
  gateways: GatewayEntry[];
  peakRssMiB: Record<string, number>;
  /** Index into runs of the run shown and judged. */
  medianRun: number;
  runs: RunResults[];
  spread: TargetSpread[];
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

const measured = (results: BenchResults) => results.gateways.filter((g) => !g.skipped);

/** " (windows 300.1, 280.4)": each window's figure in run order, where the results have them (runs before 2026-12-07 do not). */
const windowsOf = (windows: number[] | undefined) => (windows?.length ? ` (windows ${windows.map((w) => fixed(w)).join(", ")})` : "");

export function markdown(results: BenchResults): string {
  const { machine, dataset, settings } = results;
  const runs = results.runs.length;
  const loads = results.runs.map((run) => `${fixed(run.loadAverage.start, 2)}→${fixed(run.loadAverage.end, 2)}`).join(", ");
  const lines = [
    `Measured ${results.startedAt}${results.quick ? " (quick run: small data, short runs; not for comparison)" : ""} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}.`,
    `Data: ${dataset.members.toLocaleString("en")} members, ${dataset.partners} partners, ${dataset.rewards} rewards, ${dataset.ledgerEntries.toLocaleString("en")} ledger entries (seeded in ${fixed(dataset.seedSeconds, 0)} s). Every gateway: ${settings.workers} worker process(es), ${settings.durationSeconds} s per measurement (the headline's in ${settings.rounds} round(s), the gateways taking turns, each at every concurrency in a row, each round in the reverse order of gateways and concurrencies, each run starting with another gateway, each window after ${settings.windowWarmupSeconds ? `a ${settings.windowWarmupSeconds} s warm-up` : "no warm-up (a quick run)"} at its concurrency and followed by a wait until that gateway has answered what it still had in flight; each run's purchases after a checkpoint of the ledger's database, and none inside a window).`,
    `Runs: ${runs}; shown and judged: run ${results.medianRun + 1} (the median by our gateway's headline throughput at concurrency 16 and 64). Machine load (1-minute load average at the start→end of each run, on ${machine.cpus} CPUs): ${loads}.`,
    ...results.gateways.filter((g) => g.skipped).map((g) => `Not measured: ${g.label}: ${g.skipped}.`),
    "",
    "| Headline query | Concurrency | Requests/s | p50 ms | p95 ms | p99 ms | Failures | Shed (503) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const concurrency of settings.concurrency) {
    for (const gateway of measured(results)) {
      const r = results.headline[gateway.name]?.[String(concurrency)];
      if (r) lines.push(`| ${gateway.label} | ${concurrency} | ${fixed(r.requestsPerSecond)} | ${fixed(r.p50)} | ${fixed(r.p95)} | ${fixed(r.p99)} | ${r.failures} | ${r.shed} |`);
    }
  }
  const failed = settings.concurrency.flatMap((concurrency) =>
    measured(results).flatMap((gateway) => {
      const kinds = Object.entries(results.headline[gateway.name]?.[String(concurrency)]?.failureKinds ?? {});
      return kinds.length ? [`${gateway.label} at ${concurrency}: ${kinds.map(([kind, count]) => `${kind} (${count})`).join(", ")}`] : [];
    }),
  );
  if (failed.length) lines.push("", `Headline failures, by kind: ${failed.join("; ")}.`);
  const p = results.recordPurchase;
  const d = p.capacity;
  lines.push(
    "",
    `recordPurchase (unique references, concurrency ${p.concurrency}; the plain windows alternated with the direct calls below, pooled): ${fixed(p.requestsPerSecond)} transactions/s, p50 ${fixed(p.p50)} ms, p99 ${fixed(p.p99)} ms, ${p.failures} failures, ${p.shed} shed; ledger:verify ${p.verifyClean ? "clean" : "FAILED"}.`,
    `recordPurchase without the clearing house's valuation (its triggers off, record_purchases without its two edits), in windows alternated with windows with it: ${fixed(p.valuation.withoutPerSecond)} transactions/s${windowsOf(p.valuation.withoutWindows)}, p50 ${fixed(p.valuation.without.p50)} ms, p99 ${fixed(p.valuation.without.p99)} ms; with it ${fixed(p.valuation.withPerSecond)}/s${windowsOf(p.valuation.withWindows)}; ${p.valuation.failures} failures in all of them.`,
    `recordPurchase with ${p.campaigns.count} active campaigns (partner, category, cross-brand, welcome): ${fixed(p.campaigns.requestsPerSecond)} transactions/s${windowsOf(p.campaigns.windows)}, p50 ${fixed(p.campaigns.p50)} ms, p99 ${fixed(p.campaigns.p99)} ms, ${p.campaigns.failures} failures; plain, in the windows alternated with those, ${fixed(p.campaigns.plainPerSecond)}/s${windowsOf(p.campaigns.plainWindows)}${p.campaigns.plainFailures === undefined ? "" : `, ${p.campaigns.plainFailures} failures`}; ${p.campaigns.bonuses.toLocaleString("en")} bonuses (${fixed(p.campaigns.bonuses / Math.max(1, p.campaigns.requests))} per purchase, each a BONUS transaction with its postings and lot), ${p.campaigns.bonusPoints.toLocaleString("en")} bonus points awarded (fresh campaigns in each window).`,
    `record_purchases called directly on the same Postgres (no HTTP; ${d.concurrency} call(s) in flight, each window replaying the group sizes of the plain window right before it, ${d.groups.toLocaleString("en")} groups, mean ${fixed(d.meanGroupSize, 2)}): ${fixed(d.purchasesPerSecond)} purchases/s${windowsOf(d.windows)}, ${d.failures} failures.`,
    `Headline p50, the two members side by side (one client each): ${fixed(results.history.lightP50, 2)} ms for a member with ${results.history.lightEntries} entries, ${fixed(results.history.heavyP50, 2)} ms with ${results.history.heavyEntries.toLocaleString("en")}${results.history.failures === undefined ? "" : `; ${results.history.failures} failures`}.`,
  );
  lines.push(`A partner's open statement, side by side with a member's balance (one client each): p50 ${fixed(results.statement.statementP50, 2)} ms against ${fixed(results.statement.balanceP50, 2)} ms, ${results.statement.failures} failures.`);
  for (const scenario of Object.values(results.scenarios)) {
    const r = scenario.load;
    lines.push(`${scenario.label} (concurrency ${scenario.concurrency}): ${fixed(r.requestsPerSecond)} requests/s, p50 ${fixed(r.p50)} ms, p99 ${fixed(r.p99)} ms, ${r.failures} failures, ${r.shed} shed${scenario.notes ? `; ${scenario.notes}` : ""}.`);
  }
  lines.push(
    `Peak RSS (MiB, all workers, over all runs): ${Object.entries(results.peakRssMiB).map(([name, mib]) => `${name} ${mib}`).join(", ")}.`,
    "",
    `| Target | Measured (run ${results.medianRun + 1}) | ${runs > 1 ? "Spread over the runs (min–max) | " : ""}Goal | Met |`,
    `|---|---:|${runs > 1 ? "---:|" : ""}---:|:---:|`,
    ...results.spread.map((t) => `| ${t.name} | ${fixed(t.measured, 2)} | ${runs > 1 ? `${fixed(t.min, 2)}–${fixed(t.max, 2)} (${t.runs.map((v) => fixed(v, 2)).join(", ")}) | ` : ""}${t.goal} | ${t.met ? "yes" : "**no**"} |`),
  );
  return `${lines.join("\n")}\n`;
}

const COLORS: Record<GatewayName, string> = {
  coalition: "#2563eb",
  "coalition-no-cache": "#93c5fd",
  hive: "#f59e0b",
  "hive-http-cache": "#fcd34d",
  "hive-router": "#b45309",
  "hive-router-http-cache": "#fb923c",
  "in-process": "#10b981",
};

/** Two bar charts side by side: throughput and p99 by concurrency, one bar per gateway measured. */
export function svgChart(results: BenchResults): string {
  const concurrency = results.settings.concurrency.map(String);
  const gateways = measured(results);
  const panel = (x0: number, title: string, value: (r: LoadResult) => number, unit: string) => {
    const width = 480;
    const height = 220;
    const at = (g: GatewayEntry, c: string) => { const r = results.headline[g.name]?.[c]; return r ? value(r) || 0 : 0; };
    const max = Math.max(1, ...concurrency.flatMap((c) => gateways.map((g) => at(g, c))));
    const group = width / concurrency.length;
    const bar = (group - 20) / gateways.length;
    const parts = [`<text x="${x0 + width / 2}" y="20" text-anchor="middle" font-weight="bold">${title}</text>`];
    concurrency.forEach((c, i) => {
      gateways.forEach((g, j) => {
        const v = at(g, c);
        const h = (v / max) * height;
        const x = x0 + i * group + 10 + j * bar;
        parts.push(`<rect x="${x.toFixed(1)}" y="${(40 + height - h).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[g.name]}"/>`);
        parts.push(`<text x="${(x + bar / 2 - 1).toFixed(1)}" y="${(36 + height - h).toFixed(1)}" text-anchor="middle" font-size="8">${fixed(v, 0)}</text>`);
      });
      parts.push(`<text x="${(x0 + i * group + group / 2).toFixed(1)}" y="${40 + height + 16}" text-anchor="middle" font-size="12">c=${c}</text>`);
    });
    parts.push(`<line x1="${x0}" y1="${40 + height}" x2="${x0 + width}" y2="${40 + height}" stroke="#555"/>`);
    parts.push(`<text x="${x0 + width / 2}" y="${40 + height + 34}" text-anchor="middle" font-size="11">${unit}</text>`);
    return parts.join("\n  ");
  };
  const legend = gateways.map((g, i) => `<rect x="${20 + (i % 3) * 330}" y="${318 + Math.floor(i / 3) * 18}" width="12" height="12" fill="${COLORS[g.name]}"/><text x="${38 + (i % 3) * 330}" y="${329 + Math.floor(i / 3) * 18}" font-size="12">${g.label}</text>`).join("\n  ");
  const height = 340 + Math.floor((gateways.length - 1) / 3) * 18;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="${height}" font-family="sans-serif" font-size="12">
  <rect width="1000" height="${height}" fill="white"/>
  ${panel(10, "Headline throughput (requests/s, higher is better)", (r) => r.requestsPerSecond, "concurrency")}
  ${panel(510, "Headline p99 latency (ms, lower is better)", (r) => r.p99, "concurrency")}
  ${legend}
</svg>
`;
}
