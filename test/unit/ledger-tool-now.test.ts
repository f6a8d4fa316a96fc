import { nowFromArgs } from "../../subgraphs/ledger/src/tools/ledger-database";

/** The operator tools' `--now` (ledger:expire): another time, but not a later one by mistake. */
describe("nowFromArgs", () => {
  const clock = new Date("2026-12-06T10:00:00.000Z");
  const args = (...rest: string[]) => ["node", "expire.js", ...rest];

  it("is the clock without --now, and a past or present --now as given", () => {
    expect(nowFromArgs(args(), clock)).toEqual(clock);
    expect(nowFromArgs(args("--now", "2026-11-30T00:00:00Z"), clock)).toEqual(new Date("2026-11-30T00:00:00Z"));
    // 60 s past the clock: another machine's clock a little ahead, accepted.
    expect(nowFromArgs(args("--now", "2026-12-06T10:01:00Z"), clock)).toEqual(new Date("2026-12-06T10:01:00Z"));
  });

  it("refuses a later time (a mistyped year) unless --allow-future is given", () => {
    expect(() => nowFromArgs(args("--now", "2026-12-06T10:01:00.001Z"), clock)).toThrow(
      "--now 2026-12-06T10:01:00.001Z is later than this machine's clock (2026-12-06T10:00:00.000Z): it would act before its time, for good (lots expired early). Pass --allow-future as well if that is meant (a test database)",
    );
    expect(() => nowFromArgs(args("--now", "2027-12-06T10:00:00Z"), clock)).toThrow(/later than this machine's clock/);
    expect(nowFromArgs(args("--now", "2027-12-06T10:00:00Z", "--allow-future"), clock)).toEqual(new Date("2027-12-06T10:00:00Z"));
  });

  it("refuses a --now that is not a date-time", () => {
    expect(() => nowFromArgs(args("--now", "tomorrow"), clock)).toThrow('--now needs an ISO date-time, got "tomorrow"');
    expect(() => nowFromArgs(args("--now"), clock)).toThrow('--now needs an ISO date-time, got "undefined"');
  });
});
