import type { LoadResult } from "./load";

export type GatewayName = "coalition" | "hive" | "in-process";
export const GATEWAYS: GatewayName[] = ["coalition", "hive", "in-process"];
export const GATEWAY_LABELS: Record<GatewayName, string> = {
  coalition: "Coalition gateway (@apollo/gateway, HTTP)",
  hive: "Hive Gateway (HTTP)",
  "in-process": "In-process baseline (no HTTP)",
};

export interface BenchResults {
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  dataset: { members: number; partners: number; rewards: number; ledgerEntries: number; heavyMemberEntries: number; seedSeconds: number };
  settings: { workers: number; durationSeconds: number; concurrency: number[] };
  headline: Record<GatewayName, Record<string, LoadResult>>;
  recordPurchase: LoadResult & { concurrency: number; verifyClean: boolean; verifyOutput: string };
  history: { lightEntries: number; heavyEntries: number; lightP50: number; heavyP50: number };
  /** A partner's open statement vs a member's balance read, side by side (the clearing house's target). */
  statement: { statementP50: number; balanceP50: number; failures: number };
  peakRssMiB: Record<string, number>;
  targets: Target[];
}

export interface Target {
  name: string;
  measured: number;
  goal: string;
  met: boolean;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** The issue's targets, as ratios of figures measured in the same run. */
export function judge(results: Omit<BenchResults, "targets">): Target[] {
  const { headline, history, recordPurchase } = results;
  const targets: Target[] = [];
  for (const c of ["16", "64"]) {
    const ours = headline.coalition[c];
    const hive = headline.hive[c];
    const rps = ratio(ours.requestsPerSecond, hive.requestsPerSecond);
    targets.push({ name: `Headline throughput vs Hive Gateway, concurrency ${c}`, measured: rps, goal: "≥ 1.2×", met: rps >= 1.2 });
    targets.push({ name: `Headline p99 vs Hive Gateway, concurrency ${c}`, measured: ratio(ours.p99, hive.p99), goal: "≤ 1.0×", met: ours.p99 <= hive.p99 });
    const local = ratio(ours.requestsPerSecond, headline["in-process"][c].requestsPerSecond);
    targets.push({ name: `Headline throughput vs in-process baseline, concurrency ${c}`, measured: local, goal: "≥ 0.6×", met: local >= 0.6 });
  }
  const scan = ratio(history.heavyP50, history.lightP50);
  targets.push({ name: `Headline p50, ${history.heavyEntries} entries vs ${history.lightEntries}`, measured: scan, goal: "≤ 1.2×", met: scan <= 1.2 });
  const statement = ratio(results.statement.statementP50, results.statement.balanceP50);
  targets.push({ name: "Partner's open statement p50 vs a member's balance p50", measured: statement, goal: "≤ 2.0×", met: results.statement.failures === 0 && statement <= 2 });
  const clean = recordPurchase.verifyClean && recordPurchase.failures === 0;
  targets.push({ name: "recordPurchase transactions/s (verify clean, no failures)", measured: recordPurchase.requestsPerSecond, goal: "≥ 1,000", met: clean && recordPurchase.requestsPerSecond >= 1000 });
  return targets;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export function markdown(results: BenchResults): string {
  const { machine, dataset, settings } = results;
  const lines = [
    `Measured ${results.startedAt}${results.quick ? " (quick run: small data, short runs; not for comparison)" : ""} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}.`,
    `Data: ${dataset.members.toLocaleString("en")} members, ${dataset.partners} partners, ${dataset.rewards} rewards, ${dataset.ledgerEntries.toLocaleString("en")} ledger entries (seeded in ${fixed(dataset.seedSeconds, 0)} s). Every gateway: ${settings.workers} worker process(es), ${settings.durationSeconds} s per measurement (the headline's in two rounds, the gateways taking turns).`,
    "",
    "| Headline query | Concurrency | Requests/s | p50 ms | p95 ms | p99 ms | Failures |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const concurrency of settings.concurrency) {
    for (const gateway of GATEWAYS) {
      const r = results.headline[gateway][String(concurrency)];
      lines.push(`| ${GATEWAY_LABELS[gateway]} | ${concurrency} | ${fixed(r.requestsPerSecond)} | ${fixed(r.p50)} | ${fixed(r.p95)} | ${fixed(r.p99)} | ${r.failures} |`);
    }
  }
  const p = results.recordPurchase;
  lines.push(
    "",
    `recordPurchase (unique references, concurrency ${p.concurrency}): ${fixed(p.requestsPerSecond)} transactions/s, p50 ${fixed(p.p50)} ms, p99 ${fixed(p.p99)} ms, ${p.failures} failures; ledger:verify ${p.verifyClean ? "clean" : "FAILED"}.`,
    `Headline p50, the two members side by side (one client each): ${fixed(results.history.lightP50, 2)} ms for a member with ${results.history.lightEntries} entries, ${fixed(results.history.heavyP50, 2)} ms with ${results.history.heavyEntries.toLocaleString("en")}.`,
    `A partner's open statement, side by side with a member's balance (one client each): p50 ${fixed(results.statement.statementP50, 2)} ms against ${fixed(results.statement.balanceP50, 2)} ms.`,
    `Peak RSS (MiB, all workers): ${Object.entries(results.peakRssMiB).map(([name, mib]) => `${name} ${mib}`).join(", ")}.`,
    "",
    "| Target | Measured | Goal | Met |",
    "|---|---:|---:|:---:|",
    ...results.targets.map((t) => `| ${t.name} | ${fixed(t.measured, 2)} | ${t.goal} | ${t.met ? "yes" : "**no**"} |`),
  );
  return `${lines.join("\n")}\n`;
}

const COLORS: Record<GatewayName, string> = { coalition: "#2563eb", hive: "#f59e0b", "in-process": "#10b981" };

/** Two bar charts side by side: throughput and p99 by concurrency, one bar per gateway. */
export function svgChart(results: BenchResults): string {
  const concurrency = results.settings.concurrency.map(String);
  const panel = (x0: number, title: string, value: (r: LoadResult) => number, unit: string) => {
    const width = 380;
    const height = 220;
    const max = Math.max(1, ...concurrency.flatMap((c) => GATEWAYS.map((g) => value(results.headline[g][c]) || 0)));
    const group = width / concurrency.length;
    const bar = (group - 20) / GATEWAYS.length;
    const parts = [`<text x="${x0 + width / 2}" y="20" text-anchor="middle" font-weight="bold">${title}</text>`];
    concurrency.forEach((c, i) => {
      GATEWAYS.forEach((g, j) => {
        const v = value(results.headline[g][c]) || 0;
        const h = (v / max) * height;
        const x = x0 + i * group + 10 + j * bar;
        parts.push(`<rect x="${x.toFixed(1)}" y="${(40 + height - h).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[g]}"/>`);
        parts.push(`<text x="${(x + bar / 2 - 1).toFixed(1)}" y="${(36 + height - h).toFixed(1)}" text-anchor="middle" font-size="10">${fixed(v, 0)}</text>`);
      });
      parts.push(`<text x="${(x0 + i * group + group / 2).toFixed(1)}" y="${40 + height + 16}" text-anchor="middle" font-size="12">c=${c}</text>`);
    });
    parts.push(`<line x1="${x0}" y1="${40 + height}" x2="${x0 + width}" y2="${40 + height}" stroke="#555"/>`);
    parts.push(`<text x="${x0 + width / 2}" y="${40 + height + 34}" text-anchor="middle" font-size="11">${unit}</text>`);
    return parts.join("\n  ");
  };
  const legend = GATEWAYS.map((g, i) => `<rect x="${20 + i * 260}" y="318" width="12" height="12" fill="${COLORS[g]}"/><text x="${38 + i * 260}" y="329" font-size="12">${GATEWAY_LABELS[g]}</text>`).join("\n  ");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="340" font-family="sans-serif" font-size="12">
  <rect width="800" height="340" fill="white"/>
  ${panel(10, "Headline throughput (requests/s, higher is better)", (r) => r.requestsPerSecond, "concurrency")}
  ${panel(410, "Headline p99 latency (ms, lower is better)", (r) => r.p99, "concurrency")}
  ${legend}
</svg>
`;
}
