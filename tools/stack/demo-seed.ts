import type { Logger } from "../../shared/src/logger";
import { requestGraphQL } from "./graphql-client";

/**
 * The demo coalition, written through the gateway's public API (so it obeys every rule a partner app
 * does). Deterministic: the same members, purchases and rewards on every fresh database.
 */

export const DEMO_MEMBER_EMAIL = "ada@example.com";

const PARTNERS = [
  { slug: "skyways", name: "Skyways Airlines", category: "AIRLINE", pointsPerUnit: 2, currency: "EUR", returnWindowDays: 0 },
  { slug: "freshmart", name: "FreshMart Grocers", category: "GROCERY", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
  { slug: "fuelco", name: "FuelCo Stations", category: "FUEL", pointsPerUnit: 1.5, currency: "EUR", returnWindowDays: 0 },
  { slug: "harbor-hotels", name: "Harbor Hotels", category: "HOTEL", pointsPerUnit: 3, currency: "EUR", returnWindowDays: 14 },
  { slug: "bean-street", name: "Bean Street Coffee", category: "DINING", pointsPerUnit: 4, currency: "EUR", returnWindowDays: 0 },
  { slug: "urban-threads", name: "Urban Threads", category: "RETAIL", pointsPerUnit: 2.5, currency: "GBP", returnWindowDays: 30 },
  { slug: "globe-trips", name: "Globe Trips", category: "TRAVEL", pointsPerUnit: 1.25, currency: "USD", returnWindowDays: 7 },
] as const;

const FIRST_NAMES = ["Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Donald", "Hedy", "Tim", "Shafi", "John", "Anita", "Guido", "Sophie", "Bjarne", "Mary", "Niklaus", "Joan", "Claude", "Jean"];
const LAST_NAMES = ["Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Lamarr", "Berners-Lee", "Goldwasser", "McCarthy", "Borg", "van Rossum", "Wilson", "Stroustrup", "Keller", "Wirth", "Clarke", "Shannon", "Sammet"];

/** Qualifying-point targets: several members sit just under a tier threshold (5,000 / 20,000 / 50,000). */
const TARGETS = [4_700, 4_950, 19_600, 49_200, 300, 1_200, 2_600, 7_500, 12_000, 26_000, 35_000, 55_000, 800, 3_300, 9_900, 4_890, 19_950];

// Rewards: [partner slug, title, costPoints, minimumTier, stock, validity]
type Validity = "open" | "expired" | "future" | "inactive";
const REWARDS: [string, string, number, string, number | null, Validity][] = [
  ["bean-street", "Free coffee of your choice", 400, "BASE", null, "open"],
  ["bean-street", "Pastry and coffee breakfast", 900, "BASE", 200, "open"],
  ["bean-street", "Barista masterclass", 6_000, "SILVER", 0, "open"],
  ["bean-street", "Pumpkin spice season pass", 2_500, "BASE", 50, "expired"],
  ["freshmart", "€5 grocery voucher", 500, "BASE", null, "open"],
  ["freshmart", "€20 grocery voucher", 1_900, "BASE", null, "open"],
  ["freshmart", "Organic hamper", 4_500, "SILVER", 25, "open"],
  ["freshmart", "Holiday feast box", 3_000, "BASE", 10, "future"],
  ["fuelco", "Car wash", 700, "BASE", null, "open"],
  ["fuelco", "20 litres of fuel", 3_200, "BASE", 500, "open"],
  ["fuelco", "Annual roadside assistance", 12_000, "GOLD", 40, "open"],
  ["fuelco", "Summer road-trip kit", 1_500, "BASE", 0, "open"],
  ["skyways", "Lounge day pass", 3_500, "BASE", null, "open"],
  ["skyways", "Seat upgrade voucher", 8_000, "SILVER", 100, "open"],
  ["skyways", "One-way European flight", 15_000, "SILVER", 60, "open"],
  ["skyways", "Business class upgrade", 40_000, "GOLD", 10, "open"],
  ["skyways", "Round-the-world ticket", 90_000, "PLATINUM", 2, "open"],
  ["skyways", "Winter sun flash sale", 9_000, "BASE", 30, "expired"],
  ["harbor-hotels", "Late checkout", 1_000, "BASE", null, "open"],
  ["harbor-hotels", "One night weekend stay", 12_500, "SILVER", 80, "open"],
  ["harbor-hotels", "Spa weekend for two", 30_000, "GOLD", 15, "open"],
  ["harbor-hotels", "Presidential suite night", 75_000, "PLATINUM", 1, "open"],
  ["harbor-hotels", "Retired partner package", 5_000, "BASE", 20, "inactive"],
  ["urban-threads", "£10 off your next order", 1_200, "BASE", null, "open"],
  ["urban-threads", "Designer tote bag", 5_500, "SILVER", 0, "open"],
  ["urban-threads", "Personal styling session", 20_000, "GOLD", 12, "open"],
  ["globe-trips", "$25 travel credit", 2_000, "BASE", null, "open"],
  ["globe-trips", "City break package", 25_000, "GOLD", 20, "open"],
  ["globe-trips", "Safari adventure", 60_000, "PLATINUM", 3, "open"],
  ["globe-trips", "Last-minute cruise deal", 18_000, "SILVER", 5, "expired"],
];

const DAY = 86_400_000;

/** A small deterministic generator (mulberry32), so every fresh demo database is the same. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>, onDone?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      await work(items[next++]);
      onDone?.(++done);
    }
  }));
}

/** One progress line per quarter of a long step (the seed's request lines are debug-level in npm start). */
function quarterly(log: Logger, step: string, total: number): (done: number) => void {
  const marks = new Set([1, 2, 3, 4].map((quarter) => Math.ceil((total * quarter) / 4)));
  return (done) => {
    if (marks.has(done)) log.info(`seeding the demo coalition: ${step} ${done}/${total}`);
  };
}

export async function isEmpty(gatewayUrl: string): Promise<boolean> {
  // The partner list is public.
  const data = await requestGraphQL<{ partners: unknown[] }>(gatewayUrl, `{ partners { id } }`);
  return data.partners.length === 0;
}

/** Seeds as an admin (`headers` carries the admin's bearer token). */
export async function seedDemo(gatewayUrl: string, log: Logger, headers: Record<string, string>, now = new Date()): Promise<void> {
  const rand = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const call = (query: string, variables: Record<string, unknown>) => requestGraphQL(gatewayUrl, query, variables, headers);

  const partners: { id: string; slug: string; pointsPerUnit: number; currency: string }[] = [];
  for (const partner of PARTNERS) {
    const { registerPartner } = await call(`mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id slug pointsPerUnit currency } }`, { input: partner });
    partners.push(registerPartner);
  }
  const bySlug = new Map(partners.map((p) => [p.slug, p]));
  log.info(`seeding the demo coalition: ${partners.length} partners registered`);

  const people = [{ email: DEMO_MEMBER_EMAIL, displayName: "Ada Lovelace" }];
  for (let i = 0; people.length < 50; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[(i * 7 + 3) % LAST_NAMES.length];
    people.push({ email: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "") + `${i}@example.com`, displayName: `${first} ${last}` });
  }
  const members: { id: string; email: string }[] = [];
  for (const person of people) {
    const { enrollMember } = await call(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id email } }`, { input: person });
    members.push(enrollMember);
  }
  log.info(`seeding the demo coalition: ${members.length} members enrolled`);

  // Each member links 2 to 5 brands and buys there over the past 11 months, up to a target of points.
  const purchases: Record<string, unknown>[] = [];
  const earnedBy = new Map<string, number>();
  members.forEach((member, index) => {
    const linked = index === 0 ? ["bean-street", "skyways", "freshmart", "harbor-hotels"] : [...PARTNERS].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 4)).map((p) => p.slug);
    for (const slug of linked) {
      purchases.push({ link: true, memberId: member.id, partnerId: bySlug.get(slug)!.id, externalId: `${slug.toUpperCase()}-${1000 + index}` });
    }
    const target = index < TARGETS.length ? TARGETS[index] : Math.floor(rand() * 30_000);
    let earned = 0;
    let receipt = 0;
    while (earned < target) {
      // The last purchase tops up at the grocer (1 point per euro) to land exactly on the target.
      const remaining = target - earned;
      const partner = remaining < 400 ? bySlug.get("freshmart")! : bySlug.get(pick(linked))!;
      const amountMinor = remaining < 400 ? remaining * 100 : Math.min(Math.round((remaining * 100) / partner.pointsPerUnit), 2_000 + Math.floor(rand() * 60_000));
      const occurredAt = new Date(now.getTime() - (40 + Math.floor(rand() * 290)) * DAY);
      earned += Math.floor((amountMinor / 100) * partner.pointsPerUnit);
      purchases.push({ memberId: member.id, partnerId: partner.id, amountMinor, currency: partner.currency, reference: `demo-${index}-${++receipt}`, occurredAt: occurredAt.toISOString() });
    }
    earnedBy.set(member.id, earned);
  });
  // Ada also stayed at a hotel last week: those points are still pending (14-day return window).
  purchases.push({ memberId: members[0].id, partnerId: bySlug.get("harbor-hotels")!.id, amountMinor: 18_000, currency: "EUR", reference: "demo-0-hotel", occurredAt: new Date(now.getTime() - 3 * DAY).toISOString() });

  // Made by an admin: ACTIVE, as if each member had agreed to their links.
  const links = purchases.filter((p) => p.link).map(({ link: _link, ...input }) => input);
  await inParallel(links, 16, (input) => call(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, { input }), quarterly(log, "partner accounts linked", links.length));
  // Urban Threads' till asked to link Ada's store card; she has not approved it yet, so its app sees
  // nothing of her (approvePartnerLink with her token makes it ACTIVE).
  const threads = bySlug.get("urban-threads")!.id;
  const { issuePartnerApiKey: till } = await call(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { id key } }`, { id: threads });
  await requestGraphQL(gatewayUrl, `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`, {
    input: { memberId: members[0].id, partnerId: threads, externalId: "URBAN-THREADS-1000" },
  }, { "x-api-key": till.key });
  await call(`mutation($id: ID!) { revokePartnerApiKey(id: $id) { revokedAt } }`, { id: till.id }); // only the seed used it
  const earns = purchases.filter((p) => !p.link);
  // Members in parallel, each one's purchases in the order made up above: the same balances and tiers
  // on every fresh database however the requests interleave. 16 members at once recorded the 1,384
  // purchases in 5.9 s, where 8 requests at once took 10.9 s.
  const earnsByMember = new Map<unknown, Record<string, unknown>[]>();
  for (const input of earns) {
    const ofMember = earnsByMember.get(input.memberId);
    if (ofMember) ofMember.push(input);
    else earnsByMember.set(input.memberId, [input]);
  }
  const recorded = quarterly(log, "purchases recorded", earns.length);
  let recordedCount = 0;
  await inParallel([...earnsByMember.values()], 16, async (ofMember) => {
    for (const input of ofMember) {
      await call(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, { input });
      recorded(++recordedCount);
    }
  });

  const rewards: { id: string; costPoints: number; minimumTier: string; stock: number | null; active: boolean; validUntil: string | null; validFrom: string | null }[] = [];
  for (const [slug, title, costPoints, minimumTier, stock, validity] of REWARDS) {
    const input = {
      partnerId: bySlug.get(slug)!.id,
      title,
      description: `${title}, from ${PARTNERS.find((p) => p.slug === slug)!.name}.`,
      costPoints,
      minimumTier,
      stock,
      validFrom: validity === "future" ? new Date(now.getTime() + 30 * DAY).toISOString() : new Date(now.getTime() - 180 * DAY).toISOString(),
      validUntil: validity === "expired" ? new Date(now.getTime() - 10 * DAY).toISOString() : validity === "future" ? new Date(now.getTime() + 90 * DAY).toISOString() : null,
      active: validity !== "inactive",
    };
    const { createReward } = await call(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id costPoints minimumTier stock active validFrom validUntil } }`, { input });
    rewards.push(createReward);
  }
  log.info(`seeding the demo coalition: ${rewards.length} rewards created`);

  // A few redemptions: Ada's coffee, and members spending on what they can afford.
  const coffee = rewards[0];
  let redemptions = 0;
  for (const [index, member] of members.entries()) {
    if (index % 5 !== 0 || earnedBy.get(member.id)! < coffee.costPoints) continue;
    await call(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`, {
      input: { memberId: member.id, rewardId: coffee.id, idempotencyKey: `demo-redemption-${index}` },
    });
    redemptions++;
  }
  log.info("demo coalition seeded", { partners: partners.length, members: members.length, purchases: earns.length, rewards: rewards.length, redemptions });
}
