// Compares our audit results with stock @apollo/gateway's (the audit's gateways/apollo-gateway/results.txt):
// every test Apollo Gateway passes ('.') must pass here too. Prints a summary; exits 1 on a regression.
import { readFileSync } from "node:fs";

const parse = (file) => {
  // Pairs of lines (suite id, then a '.' or 'X' per test), then a summary from "---" on.
  const lines = readFileSync(file, "utf8").split("\n").map((line) => line.trim()).filter(Boolean);
  const suites = new Map();
  for (let i = 0; i + 1 < lines.length && !/^(---|Total:)/.test(lines[i]); i += 2) suites.set(lines[i], lines[i + 1]);
  return suites;
};
const [ours, apollo] = [parse(process.argv[2]), parse(process.argv[3])];
let passed = 0;
let total = 0;
let apolloPassed = 0;
const regressions = [];
for (const [suite, expected] of apollo) {
  const got = ours.get(suite) ?? "";
  for (let i = 0; i < expected.length; i++) {
    total++;
    if (got[i] === ".") passed++;
    if (expected[i] === ".") apolloPassed++;
    if (expected[i] === "." && got[i] !== ".") regressions.push(`${suite} #${i + 1}`);
  }
}
const extra = [...ours].filter(([suite]) => !apollo.has(suite));
const extraPassed = extra.reduce((sum, [, got]) => sum + [...got].filter((mark) => mark === ".").length, 0);
const extraTotal = extra.reduce((sum, [, got]) => sum + got.length, 0);
if (extra.length) console.log(`suites newer than Apollo Gateway's recorded results (${extra.map(([suite]) => suite).join(", ")}): ${extraPassed} of ${extraTotal} pass`);
console.log(`federation audit: ${passed} of ${total} tests pass (stock Apollo Gateway: ${apolloPassed}); ${regressions.length} that Apollo Gateway passes fail here${regressions.length ? `: ${regressions.join(", ")}` : ""}`);
process.exit(regressions.length ? 1 : 0);
