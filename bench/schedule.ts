/** One headline window: a gateway at a concurrency. */
export interface HeadlineWindow<Gateway> {
  gateway: Gateway;
  concurrency: number;
}

/**
 * The order of a run's headline windows: each gateway at every concurrency in a row; every second round
 * visits the gateways, and each gateway's concurrencies, in the reverse order. With an even number of
 * rounds every (gateway, concurrency) pair's windows then have the same mean position in the run, so a
 * machine that speeds up or slows down over the run weighs on every gateway and every concurrency alike.
 * (With the concurrencies as the outer loop, a slower spell during the 64 block passed for a gateway
 * losing throughput from 16 to 64.)
 */
export function headlineSchedule<Gateway>(order: readonly Gateway[], concurrencies: readonly number[], rounds: number): HeadlineWindow<Gateway>[] {
  const windows: HeadlineWindow<Gateway>[] = [];
  for (let round = 0; round < rounds; round++) {
    const reversed = round % 2 === 1;
    for (const gateway of reversed ? [...order].reverse() : order) {
      for (const concurrency of reversed ? [...concurrencies].reverse() : concurrencies) windows.push({ gateway, concurrency });
    }
  }
  return windows;
}

/** What `alternate` measured: every window of each side, in the order they ran. */
export interface Alternated<A, B> {
  a: A[];
  b: B[];
}

/**
 * Windows of `a` and `b` in turn, `a` first and last: a b a b a over two rounds, a b a over one. Each
 * side's windows have the same mean position (two rounds: a at 0, 2, 4 and b at 1, 3, both 2), so a
 * machine that speeds up or slows down steadily weighs on both alike, and a spell that slows one
 * window weighs on one window of several. `firstA`: an `a` window just measured, taken as the first.
 */
export async function alternate<A, B>(rounds: number, a: () => Promise<A>, b: () => Promise<B>, firstA?: A): Promise<Alternated<A, B>> {
  const windows: Alternated<A, B> = { a: [firstA ?? (await a())], b: [] };
  for (let round = 0; round < rounds; round++) {
    windows.b.push(await b());
    windows.a.push(await a());
  }
  return windows;
}
