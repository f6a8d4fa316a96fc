import { alternate, headlineSchedule } from "../../bench/schedule";

const label = (w: { gateway: string; concurrency: number }) => `${w.gateway}${w.concurrency}`;

describe("headlineSchedule", () => {
  it("takes each gateway through every concurrency in a row, the second round in the reverse order of both", () => {
    expect(headlineSchedule(["a", "b"], [1, 16, 64], 2).map(label)).toEqual(["a1", "a16", "a64", "b1", "b16", "b64", "b64", "b16", "b1", "a64", "a16", "a1"]);
  });

  it("gives every (gateway, concurrency) pair the same mean position over two rounds", () => {
    // Positions 0..11 above: a1 at 0 and 11, a16 at 1 and 10, b64 at 5 and 6: each pair averages 5.5.
    const positions = new Map<string, number[]>();
    headlineSchedule(["a", "b"], [1, 16, 64], 2).forEach((w, i) => positions.set(label(w), [...(positions.get(label(w)) ?? []), i]));
    expect(positions.size).toBe(6);
    for (const at of positions.values()) expect(at[0] + at[1]).toBe(11);
  });

  it("runs one round forward (a quick run) and a third round forward again", () => {
    expect(headlineSchedule(["a", "b"], [1, 16], 1).map(label)).toEqual(["a1", "a16", "b1", "b16"]);
    expect(headlineSchedule(["a"], [1, 16], 3).map(label)).toEqual(["a1", "a16", "a16", "a1", "a1", "a16"]);
  });
});

describe("alternate", () => {
  const recorder = () => {
    const order: string[] = [];
    let n = 0;
    const window = (side: string) => async () => {
      order.push(`${side}${++n}`);
      return `${side}${n}`;
    };
    return { order, a: window("a"), b: window("b") };
  };

  it("runs a b a b a over two rounds, each side's windows in the order they ran", async () => {
    const { order, a, b } = recorder();
    expect(await alternate(2, a, b)).toEqual({ a: ["a1", "a3", "a5"], b: ["b2", "b4"] });
    expect(order).toEqual(["a1", "b2", "a3", "b4", "a5"]);
  });

  it("runs a b a over one round (a quick run)", async () => {
    const { order, a, b } = recorder();
    expect(await alternate(1, a, b)).toEqual({ a: ["a1", "a3"], b: ["b2"] });
    expect(order).toEqual(["a1", "b2", "a3"]);
  });

  it("takes a window just measured as the first a, and measures one a fewer", async () => {
    const { order, a, b } = recorder();
    expect(await alternate(2, a, b, "a0")).toEqual({ a: ["a0", "a2", "a4"], b: ["b1", "b3"] });
    expect(order).toEqual(["b1", "a2", "b3", "a4"]);
  });
});
