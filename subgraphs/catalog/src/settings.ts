import { intFromEnv } from "../../../shared/src/config";
import { DEFAULT_CANCEL_WINDOW_HOURS } from "./rules/cancellation";

/** The catalog's own settings, each with its default in one place (README, Configuration); checked at start (subgraph.ts `settings`). */

/** REDEMPTION_RECOVERY_AFTER_SECONDS (30): a redemption or cancellation left half-done this long is settled by the sweep (and a retry may settle it). */
export const redemptionRecoveryAfterSeconds = () => intFromEnv("REDEMPTION_RECOVERY_AFTER_SECONDS", 30);
/** REDEMPTION_SWEEP_SECONDS (15): how often the sweep looks. */
export const redemptionSweepSeconds = () => intFromEnv("REDEMPTION_SWEEP_SECONDS", 15);
/** REDEMPTION_CANCEL_WINDOW_HOURS (24): how long after redeeming an unused voucher can be cancelled. */
export const redemptionCancelWindowHours = () => intFromEnv("REDEMPTION_CANCEL_WINDOW_HOURS", DEFAULT_CANCEL_WINDOW_HOURS);
