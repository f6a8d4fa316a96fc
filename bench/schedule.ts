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
