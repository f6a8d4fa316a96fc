import { performance } from "node:perf_hooks";
import type { Logger } from "../../shared/src/logger";

/** One page of the members service's `erasureFeed`. */
export interface ErasureFeedPage {
  memberIds: string[];
  next: string;
  complete: boolean;
}

/** A sync reads at most this many pages (10,000 ids each) before it gives up until the next tick. */
const MAX_PAGES_PER_SYNC = 1_000;

/**
 * Whether what a gateway read of the erasure feed still answers "not erased": its last complete read
 * was sent less than `freshMs` ago. `eraseMember` answers only `freshMs` (ERASURE_CHECK_CACHE_MS)
 * after its commit, so a read sent later than that commit has it, and a request after the answer is
 * checked against such a read or asked about on its own.
 */
export const feedIsFresh = (upToDateAsOf: number, now: number, freshMs: number): boolean => freshMs > 0 && now - upToDateAsOf < freshMs;

/** How often a gateway reads the feed: four times per `freshMs`, so one slow read does not make it stale. */
export const feedPollMs = (freshMs: number): number => Math.max(10, Math.floor(freshMs / 4));

/**
 * Every erased member id, read from the members service's feed in the background (every
 * `feedPollMs`) instead of one question per member per request. While the last complete read is
 * fresh, a member is erased exactly when its id was read; otherwise (at start, or with the members
 * service down or slow) `knows` answers undefined and the caller asks about the member itself, which
 * fails closed. The ids are kept for the process's life (about 100 bytes each): erasures are never undone.
 */
export class ErasureFeed {
  private readonly erased = new Set<string>();
  private cursor: string | null = null;
  /** When the last complete read was sent (performance.now()), or never. */
  private upToDateAsOf = -Infinity;
  private started = false;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly readPage: (after: string | null) => Promise<ErasureFeedPage>,
    private readonly freshMs: number,
    private readonly log?: Logger,
  ) {}

  /** True if erased, false if known not to be, undefined when the feed is not fresh (ask instead). Starts the reading on first use. */
  knows(memberId: string): boolean | undefined {
    if (!this.started) this.start();
    if (this.erased.has(memberId)) return true;
    return feedIsFresh(this.upToDateAsOf, performance.now(), this.freshMs) ? false : undefined;
  }

  private start(): void {
    this.started = true;
    if (this.freshMs <= 0) return; // ERASURE_CHECK_CACHE_MS=0: every member is asked about, every time
    const tick = () => {
      if (!this.stopped) void this.sync().finally(() => this.stopped || setTimeout(tick, feedPollMs(this.freshMs)).unref());
    };
    tick();
  }

  /** Stops reading (the ids read so far still answer "erased"; nothing answers "not erased" once stale). */
  close(): void {
    this.stopped = true;
  }

  /** Reads until a page is not full; up to date as of when that last page was sent. */
  async sync(): Promise<void> {
    try {
      for (let page = 0; page < MAX_PAGES_PER_SYNC; page++) {
        const sentAt = performance.now();
        const { memberIds, next, complete } = await this.readPage(this.cursor);
        for (const id of memberIds) this.erased.add(id.toLowerCase());
        const moved = next !== this.cursor;
        this.cursor = next;
        if (complete) {
          this.upToDateAsOf = sentAt;
          break;
        }
        if (!moved) break; // a full page that cannot move on (too many erasures still being written): stale until a later tick
      }
      if (this.failing) this.log?.info("erasure feed read again", {});
      this.failing = false;
    } catch (error) {
      // One line when reading starts to fail, not one per tick: members are asked about one by one meanwhile.
      if (!this.failing) this.log?.warn("erasure feed unreadable; asking about each member until it is back", { error: error instanceof Error ? error.message : String(error) });
      this.failing = true;
    }
  }
}
