import { DAY_MS, addMonths, startOfUtcDay } from "./calendar";

/**
 * The qualifying window: a purchase's base points count toward tier while it was earned less than
 * QUALIFYING_WINDOW_MONTHS ago, to the second (earnedAt > now − 12 months, months in UTC as Postgres
 * counts them), and once it has left its return window. A purchase exactly 12 months old no longer counts.
 */
export const QUALIFYING_WINDOW_MONTHS = 12;

/**
 * The instant the qualifying window starts at `now` (exclusive: points earned at it no longer qualify):
 * now − 12 months, but never later than where it will be at the start of the next UTC day, so that it
 * never moves backwards. 12 months before 29 February is 28 February at the same time of day, behind
 * where the window stood late on 28 February: there it starts at 00:00 on 28 February of the year before
 * all day, so a purchase made on that day stays in until its time of day on 29 February, without a gap.
 * (Before, it left at its time of day on 28 February and came back at midnight; the seeders' incremental
 * QualifyingCounter, which lets a purchase leave once, then disagreed.) Every other day: now − 12 months.
 */
export const qualifyingWindowStart = (now: Date): Date => {
  const back = addMonths(now, -QUALIFYING_WINDOW_MONTHS);
  const atNextDay = addMonths(new Date(startOfUtcDay(now).getTime() + DAY_MS), -QUALIFYING_WINDOW_MONTHS);
  return atNextDay.getTime() < back.getTime() ? atNextDay : back;
};

/** The pending window: a partner's return window, whole days, at most this long. */
export const MAX_RETURN_WINDOW_DAYS = 365;

/** A late purchase (`occurredAt`) may be at most this many days back, and at most this far ahead of the ledger's clock. */
export const MAX_BACKDATE_DAYS = 365;
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a late purchase's `occurredAt` is refused at `now`, or null when it may be recorded: at most
 * CLOCK_SKEW_MS ahead ("future") and at most MAX_BACKDATE_DAYS × 24 h back ("tooOld"), both ends included.
 */
export function occurredAtProblem(occurredAt: Date, now: Date): "future" | "tooOld" | null {
  if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return "future";
  if (occurredAt.getTime() < now.getTime() - MAX_BACKDATE_DAYS * DAY_MS) return "tooOld";
  return null;
}

/** When points earned at `earnedAt` at a partner with a return window of N days become spendable (and qualifying). */
export const availableAt = (earnedAt: Date, returnWindowDays: number): Date => new Date(earnedAt.getTime() + returnWindowDays * DAY_MS);

/** Pending at `now`: inside the return window (spendable from `availableAt` on, to the millisecond). */
export const isPending = (purchaseAvailableAt: Date, now: Date): boolean => purchaseAvailableAt.getTime() > now.getTime();

/** Whether a purchase's base points count toward tier at `now`. */
export function qualifiesAt(purchase: { earnedAt: Date; availableAt: Date }, now: Date): boolean {
  return (
    purchase.earnedAt.getTime() > qualifyingWindowStart(now).getTime() &&
    purchase.earnedAt.getTime() <= now.getTime() &&
    !isPending(purchase.availableAt, now)
  );
}

/** Qualifying points at `at` of purchases (base points less refunded base points): the tier's input. */
export function qualifyingPointsAt(purchases: readonly { earnedAt: Date; availableAt: Date; basePoints: number }[], at: Date): number {
  let sum = 0;
  for (const p of purchases) if (qualifiesAt(p, at)) sum += p.basePoints;
  return sum;
}

/**
 * Qualifying points over time for one member whose purchases are added in time order, answered at
 * non-decreasing times: the same rule as `qualifiesAt`, in O(log n) a purchase (the seeders replay
 * 100,000 purchases of one member). Base points join when their return window ends and leave when
 * they are QUALIFYING_WINDOW_MONTHS old.
 */
export class QualifyingCounter {
  private readonly pending = new MinHeap<{ earnedAt: number; availableAt: number; basePoints: number }>((p) => p.availableAt);
  private readonly counted = new MinHeap<{ earnedAt: number; availableAt: number; basePoints: number }>((p) => p.earnedAt);
  private sum = 0;

  add(purchase: { earnedAt: Date; availableAt: Date; basePoints: number }): void {
    this.pending.push({ earnedAt: purchase.earnedAt.getTime(), availableAt: purchase.availableAt.getTime(), basePoints: purchase.basePoints });
  }

  /** Qualifying points at `at` of the purchases added so far (all earned at or before `at`). */
  at(at: Date): number {
    const now = at.getTime();
    const from = qualifyingWindowStart(at).getTime();
    while (this.pending.size && this.pending.peek()!.availableAt <= now) {
      const p = this.pending.pop()!;
      this.counted.push(p);
      this.sum += p.basePoints;
    }
    while (this.counted.size && this.counted.peek()!.earnedAt <= from) this.sum -= this.counted.pop()!.basePoints;
    return this.sum;
  }
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly key: (item: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.key(a[parent]) <= this.key(a[i])) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l]) < this.key(a[m])) m = l;
        if (r < a.length && this.key(a[r]) < this.key(a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
