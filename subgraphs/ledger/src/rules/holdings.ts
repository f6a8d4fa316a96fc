/**
 * What a member may spend (`balance.available`): their balance less what it holds that is not
 * spendable. Every writer that checks points (holds, transfers, adjustments) and the balance read use it.
 */
export interface Holdings {
  /** Points inside a return window: in the balance, not spendable. */
  pending: number;
  /** Points past their expiry that the expiry run has not posted yet: never spendable. */
  expired: number;
  /** Points reserved by unexpired redemption holds. */
  held: number;
}

/** The balance less pending, expired and held points (negative while the member owes points: the balance carries the debt). */
export const availablePoints = (balance: number, h: Holdings): number => balance - h.pending - h.expired - h.held;
