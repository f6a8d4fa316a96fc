import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../shared/src/config";

/** `npm run bench -- [options]`. */
export interface Options {
  quick: boolean;
  members: number;
  partners: number;
  rewards: number;
  entries: number;
  heavyEntries: number;
  workers: number;
  duration: number;
  warmup: number;
  /** Whole runs of every measurement on the same stack and data; targets are judged on the median run. */
  repeat: number;
  out: string;
}

const VALUE_FLAGS = ["--members", "--partners", "--rewards", "--entries", "--heavy-entries", "--workers", "--duration", "--warmup", "--repeat", "--out"];

export function parseOptions(argv: string[]): Options {
  for (let i = 0; i < argv.length; i++) {
    if (VALUE_FLAGS.includes(argv[i])) i++;
    else if (argv[i] !== "--quick") throw new Error(`Unknown option ${argv[i]} (options: --quick, ${VALUE_FLAGS.join(", ")})`);
  }
  const quick = argv.includes("--quick");
  const value = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a number, got "${argv[at + 1]}"`);
    return parsed;
  };
  const at = argv.indexOf("--out");
  const members = value("--members", quick ? 500 : 10_000);
  const repeat = value("--repeat", 1);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new Error(`--repeat needs a whole number from 1 to 20, got ${repeat}`);
  return {
    quick,
    members,
    partners: value("--partners", quick ? 5 : 20),
    rewards: value("--rewards", quick ? 20 : 200),
    entries: value("--entries", members * 100),
    heavyEntries: value("--heavy-entries", quick ? 5_000 : 100_000),
    // Every service shares this machine: each gets its share of the CPUs (one process per service on 2 to 9 cores).
    workers: value("--workers", Math.max(1, Math.floor(availableParallelism() / 5))),
    duration: value("--duration", quick ? 2 : 10),
    warmup: value("--warmup", quick ? 2 : 20),
    repeat,
    out: resolve(at >= 0 ? argv[at + 1] : join(REPO_ROOT, "bench", "results", quick ? "quick" : "")),
  };
}
