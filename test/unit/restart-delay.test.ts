import { restartDelayMs } from "../../tools/stack/services";

describe("npm start: the wait before starting a crashed service again", () => {
  it("1 s after the first crash, doubling while it keeps failing, at most 30 s", () => {
    // 1, 2, 4, 8, 16 s; the sixth would be 32 s and waits 30.
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
