import { createHash } from "node:crypto";

/**
 * The seeded coalition as pure functions of the options and one anchor time: ids, partners, members
 * and each member's purchases. Every subgraph's bulk seeder writes its own part of it, so the ids
 * they share (members, partners) agree, and a rerun, or a resumed run, computes exactly the same rows.
 */

export const SEED_DAY_MS = 86_400_000;
/** Purchases fall in the year's last 330 days before the anchor: all inside the 12-month tier window, none near expiry (24 months). */
export const PURCHASE_SPAN_DAYS = 330;
/** The light member is enrolled this long before the anchor; a rerun reads the anchor back from it. */
export const EPOCH_BEFORE_ANCHOR_DAYS = 366;
export const LIGHT_MEMBER_EMAIL = "light@bench.coalition.test";
export const HEAVY_MEMBER_EMAIL = "heavy@bench.coalition.test";
export const LIGHT_MEMBER_ENTRIES = 10;

export interface SeedPartner {
  index: number;
  id: string;
  slug: string;
  name: string;
  category: string;
  pointsPerUnit: number;
  currency: string;
  returnWindowDays: number;
}

/** Which member: a regular one by number (1..members), or one of the two well-known ones. */
export type MemberSlot = number | "light" | "heavy";

export interface SeedMember {
  slot: MemberSlot;
  /** Enrolment order (light 0, heavy 1, member n at n + 1); orders the member's ledger ids too. */
  position: number;
  id: string;
  email: string;
  displayName: string;
  enrolledAt: Date;
  /** Used in the member's purchase references (`seed-<ref>-<k>`), unique per member. */
  ref: string;
  /** Indexes into plan.partners of the brands the member is linked to and buys at. */
  partners: number[];
  purchaseCount: number;
}

export interface SeedPurchase {
  /** 1-based, in the order the purchases happened (and were recorded). */
  k: number;
  partner: number;
  amountMinor: number;
  /** Epoch seconds, strictly before the anchor. */
  at: number;
}

export interface SeedPlan {
  members: number;
  /** Purchases shared out over the regular members (the well-known members come on top). */
  entries: number;
  heavyMemberEntries: number;
  partners: SeedPartner[];
  rewards: number;
  anchor: Date;
}

/**
 * A name-based UUID: md5 of the name in the layout of a version-3 UUID. Plain `md5(x)::uuid` is not
 * enough: its version and variant digits are arbitrary and the API refuses such ids (validation.ts).
 */
export function seedUuid(name: string): string {
  return uuidFromMd5(createHash("md5").update(name).digest("hex"));
}

const uuidFromMd5 = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-3${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;

export const seedMemberId = (slot: MemberSlot) => seedUuid(`coalition-seed-member-${slot}`);
export const seedPartnerId = (index: number) => seedUuid(`coalition-seed-partner-${index}`);
export const seedRewardId = (index: number) => seedUuid(`coalition-seed-reward-${index}`);

/** A small deterministic generator (mulberry32), seeded from a name. */
export function random(name: string): () => number {
  let seed = createHash("md5").update(name).digest().readInt32LE(0);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Earn rules cycle through these brands; return windows (all well under 12 months) make some points pending.
const BRANDS = [
  { label: "Airways", category: "AIRLINE", pointsPerUnit: 2, currency: "EUR", returnWindowDays: 0 },
  { label: "Grocers", category: "GROCERY", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 },
  { label: "Fuel", category: "FUEL", pointsPerUnit: 1.5, currency: "EUR", returnWindowDays: 0 },
  { label: "Hotels", category: "HOTEL", pointsPerUnit: 3, currency: "EUR", returnWindowDays: 14 },
  { label: "Coffee", category: "DINING", pointsPerUnit: 4, currency: "EUR", returnWindowDays: 0 },
  { label: "Outfitters", category: "RETAIL", pointsPerUnit: 2.5, currency: "GBP", returnWindowDays: 30 },
  { label: "Trips", category: "TRAVEL", pointsPerUnit: 1.25, currency: "USD", returnWindowDays: 7 },
  { label: "Books", category: "OTHER", pointsPerUnit: 0.5, currency: "USD", returnWindowDays: 0 },
] as const;

export function seedPartners(count: number): SeedPartner[] {
  return Array.from({ length: count }, (_, index) => {
    const brand = BRANDS[index % BRANDS.length];
    const n = index + 1;
    return {
      index,
      id: seedPartnerId(n),
      slug: `seed-${brand.label.toLowerCase()}-${n}`,
      name: `Seed ${brand.label} ${n}`,
      category: brand.category,
      pointsPerUnit: brand.pointsPerUnit,
      currency: brand.currency,
      returnWindowDays: brand.returnWindowDays,
    };
  });
}

/** The anchor of a first run: midnight UTC of `now`'s day, so runs on the same day agree even before anything is written. */
export const anchorOf = (now: Date) => new Date(Math.floor(now.getTime() / SEED_DAY_MS) * SEED_DAY_MS);
export const epochOf = (anchor: Date) => new Date(anchor.getTime() - EPOCH_BEFORE_ANCHOR_DAYS * SEED_DAY_MS);

const FIRST_NAMES = ["Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Donald", "Hedy", "Tim", "Shafi", "Anita", "Guido", "Sophie", "Niklaus", "Joan"];
const LAST_NAMES = ["Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Lamarr", "Goldwasser", "Borg", "Wilson", "Wirth", "Clarke", "Shannon", "Sammet"];

/**
 * How many purchases regular member n gets: cumulative counts cum(n) = floor(a·n + 0.9·a·h(n)), with a
 * the average (entries / members) and h(n) a hash in [0, 1). Counts vary between about 0.1× and 1.9×
 * the average, depend only on n and the average (so seeding 150 members, then 300 with the same
 * average, gives the first 150 the same purchases), and add up to `entries` within one average.
 */
function purchaseCount(plan: SeedPlan, n: number): number {
  const average = plan.members ? plan.entries / plan.members : 0;
  const cumulative = (i: number) => (i <= 0 ? 0 : Math.floor(average * i + 0.9 * average * random(`coalition-seed-count-${i}`)()));
  return cumulative(n) - cumulative(n - 1);
}

export function seedMember(plan: SeedPlan, slot: MemberSlot): SeedMember {
  const rand = random(`coalition-seed-member-${slot}`);
  const all = plan.partners.map((p) => p.index);
  // 1 to 4 brands each; the heavy member shops everywhere.
  const shuffled = all.map((i) => ({ i, r: rand() })).sort((a, b) => a.r - b.r).map(({ i }) => i);
  const partners = slot === "heavy" ? all : shuffled.slice(0, Math.min(all.length, slot === "light" ? 3 : 1 + Math.floor(rand() * 4))).sort((a, b) => a - b);
  const position = slot === "light" ? 0 : slot === "heavy" ? 1 : slot + 1;
  const email = slot === "light" ? LIGHT_MEMBER_EMAIL : slot === "heavy" ? HEAVY_MEMBER_EMAIL : `member${slot}@seed.coalition.test`;
  const displayName = typeof slot === "number" ? `${FIRST_NAMES[slot % FIRST_NAMES.length]} ${LAST_NAMES[(slot * 7 + Math.floor(slot / 20)) % LAST_NAMES.length]}` : `${slot === "light" ? "Light" : "Heavy"} Bench Member`;
  return {
    slot,
    position,
    id: seedMemberId(slot),
    email,
    displayName,
    // Enrolment order: the light member first (its time is the epoch a rerun reads back), then one second apart.
    enrolledAt: new Date(epochOf(plan.anchor).getTime() + position * 1000),
    ref: typeof slot === "number" ? String(slot) : slot,
    partners,
    purchaseCount: slot === "light" ? LIGHT_MEMBER_ENTRIES : slot === "heavy" ? plan.heavyMemberEntries : purchaseCount(plan, slot),
  };
}

/** A member's purchases, oldest first: amounts from 3.00 to 300.00 (log-uniform), at whole seconds over the span. */
export function seedPurchases(plan: SeedPlan, member: SeedMember): SeedPurchase[] {
  const rand = random(`coalition-seed-purchases-${member.slot}`);
  const anchorSeconds = Math.floor(plan.anchor.getTime() / 1000);
  const drafts = Array.from({ length: member.purchaseCount }, () => ({
    partner: member.partners[Math.floor(rand() * member.partners.length)],
    amountMinor: Math.round(Math.exp(Math.log(300) + rand() * Math.log(100))),
    at: anchorSeconds - 1 - Math.floor(rand() * PURCHASE_SPAN_DAYS * 86_400),
  }));
  drafts.sort((a, b) => a.at - b.at);
  return drafts.map((draft, index) => ({ k: index + 1, ...draft }));
}
