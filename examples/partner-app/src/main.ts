import { randomUUID } from "node:crypto";
import { GraphQLRequestError, createClient, withRetries } from "./client";
import { EarnAtCheckout, LinkMember, ListRewards, MemberPoints, RefundPurchase, WhoAmI } from "./operations";

/**
 * The example partner app: a checkout earns points, a return refunds them, and the app shows the
 * member's points and the partner's rewards. Configuration comes from the environment:
 *
 *   GATEWAY_URL          the gateway's GraphQL endpoint (default http://localhost:4000/graphql)
 *   PARTNER_API_KEY      this partner's API key, issued by an admin with issuePartnerApiKey
 *   MEMBER_ID            the member at the till; their points are readable only with an ACTIVE link (one they approved)
 *   MEMBER_ACCOUNT_ID    the member's account id here (card number): when set, the app first asks to link it
 *   AMOUNT_MINOR         what the member paid, in cents of the partner's currency (default 2500)
 *   REFUND_AMOUNT_MINOR  what is refunded afterwards (default: all of it; 0 skips the refund)
 *   RECEIPT_REFERENCE    the receipt id (default: a new one); the same one again replays the same checkout
 */

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`Set ${name} (see examples/partner-app/README.md)`);
  return value;
}

function wholeNumber(name: string, fallback: string): number {
  const value = Number(env(name, fallback));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of cents, not ${process.env[name]}`);
  return value;
}

const money = (amountMinor: number, currency: string) => `${(amountMinor / 100).toFixed(2)} ${currency}`;

async function main(): Promise<void> {
  const request = createClient(env("GATEWAY_URL", "http://localhost:4000/graphql"), env("PARTNER_API_KEY"));
  const memberId = env("MEMBER_ID");
  const amountMinor = wholeNumber("AMOUNT_MINOR", "2500");
  const refundMinor = wholeNumber("REFUND_AMOUNT_MINOR", String(amountMinor));
  const reference = env("RECEIPT_REFERENCE", `receipt-${randomUUID()}`);
  const accountId = process.env.MEMBER_ACCOUNT_ID;

  // The partner the key acts for (`viewer`): no partner id to configure beside the key.
  const { viewer } = await withRetries(() => request(WhoAmI, {}));
  if (!viewer.partner) throw new Error(`PARTNER_API_KEY is not a partner app's key (the gateway sees ${viewer.kind})`);
  const partnerId = viewer.partner.id;

  // List rewards: public, and it gives the partner's currency, which a purchase must be in.
  const { partner, rewards } = await withRetries(() => request(ListRewards, { partnerId, first: 10 }));
  if (!partner) throw new Error(`No partner ${partnerId}`);
  console.log(`Partner: ${partner.name} (${partner.currency}, ${partner.pointsPerUnit} points per ${partner.currency})`);

  // A link the app asks for is PENDING until the member approves it in their own app (approvePartnerLink):
  // until then the app sees nothing of them, though it may still record their purchases. Asking again is
  // harmless (the same link comes back), so it is safe to retry.
  let visible = true;
  if (accountId) {
    const { linkPartnerAccount: link } = await withRetries(() => request(LinkMember, { input: { memberId, partnerId, externalId: accountId } }));
    visible = link.status === "ACTIVE";
    console.log(`Link ${link.externalId}: ${visible ? "ACTIVE" : "PENDING until the member approves it in their app"}`);
  }

  const showPoints = async (when: string) => {
    if (!visible) {
      console.log(`Points ${when}: not shown until the member approves the link`);
      return;
    }
    let member;
    try {
      ({ member } = await withRetries(() => request(MemberPoints, { memberId })));
    } catch (error) {
      // No ACTIVE link (none asked for here, or one the member has not approved or has ended): the app sees
      // nothing of the member, and still records their purchases (earning needs no link).
      if (!(error instanceof GraphQLRequestError) || !error.codes.includes("FORBIDDEN")) throw error;
      visible = false;
      console.log(`Points ${when}: not shown (the member has no ACTIVE link with this partner)`);
      return;
    }
    if (!member) throw new Error(`No member ${memberId}`);
    // balance is null (with an UPSTREAM_UNAVAILABLE error) when the points service is down: say so.
    if (!member.balance) {
      console.log(`Points ${when}: unavailable right now (${member.displayName})`);
      return;
    }
    console.log(`Points ${when}: ${member.balance.available} available (${member.displayName}, ${member.tier})`);
    return member.balance.available;
  };
  await showPoints("before");

  // Earn at checkout. The receipt id is the idempotency key: the ledger records a partner's reference
  // once, so retrying after a timeout or a lost answer is safe and returns the first entry (the same
  // reference with a different amount or member fails with IDEMPOTENCY_CONFLICT instead).
  const { recordPurchase: earned } = await withRetries(() =>
    request(EarnAtCheckout, { input: { partnerId, memberId, amountMinor, currency: partner.currency, reference } }),
  );
  console.log(`Earned: ${earned.points} points for ${money(amountMinor, partner.currency)}, receipt ${reference} (entry ${earned.id})`);
  await showPoints("after the purchase");

  if (refundMinor > 0) {
    // The refund's own id makes it idempotent too: one refund per (receipt, refund id).
    const { reversePurchase: refunded } = await withRetries(() =>
      request(RefundPurchase, { input: { partnerId, reference, amountMinor: refundMinor, refundReference: `${reference}/refund-1` } }),
    );
    console.log(`Refunded: ${refunded.points} points for ${money(refundMinor, partner.currency)} of receipt ${reference} (entry ${refunded.id})`);
    await showPoints("after the refund");
  }

  console.log(`Rewards at ${partner.name}: ${rewards.length}`);
  for (const reward of rewards) {
    const stock = reward.stock === null ? "unlimited" : `${reward.stock} left`;
    console.log(`  - ${reward.title}: ${reward.costPoints} points, ${reward.minimumTier} and up, ${stock}${reward.active ? "" : " (inactive)"}`);
  }
}

main().catch((error: unknown) => {
  // GraphQL errors carry a code to act on: UNAUTHENTICATED (bad key), FORBIDDEN (not this partner's,
  // or a member without an ACTIVE link to it), BAD_USER_INPUT, IDEMPOTENCY_CONFLICT, RATE_LIMITED, ...
  if (error instanceof GraphQLRequestError) console.error(`Failed: ${error.message} [${error.codes.join(", ")}]`);
  else console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
