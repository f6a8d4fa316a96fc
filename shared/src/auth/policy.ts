import { GraphQLError } from "graphql";
import type { Identity } from "./proof";

/**
 * Who may do what, decided in the subgraphs from the identity the gateway signed. Denials leak
 * nothing: they are decided before looking anything up, so "not yours" and "does not exist" read alike.
 * A denial names the rule (who may), so a developer knows which token to use; the rule is the same
 * words whatever the data, so it tells nothing about it.
 */
export const ALLOWED = {
  admins: "Only admins may do this",
  self: "Only the member themself and admins may do this",
  partner: "Only this partner's own apps and admins may do this",
  partnerApps: "Only partner apps and admins may do this",
  selfOrLinkedPartner: "Only the member, admins, and the apps of a partner the member has an ACTIVE link with may see this",
  members: "Only a member, with their own token, may do this",
  services: "Only the coalition's own services may call this",
  publicCallers: "Only members, partner apps, admins and anonymous callers may ask this (not services)",
} as const;

export const unauthenticated = () => new GraphQLError("Sign in first: send a bearer token or an API key", { extensions: { code: "UNAUTHENTICATED" } });
/** FORBIDDEN, saying who may; `field` when one input field decides it (a campaign's funder). */
export const forbidden = (allowed: string, field?: string) => new GraphQLError(allowed, { extensions: field ? { code: "FORBIDDEN", field } : { code: "FORBIDDEN" } });

/** The denial for this caller: UNAUTHENTICATED when nobody signed in, FORBIDDEN (saying who may) otherwise. */
export const denyFor = (identity: Identity, allowed: string, field?: string): GraphQLError =>
  identity.kind === "anonymous" ? unauthenticated() : forbidden(allowed, field);

export const isAdmin = (identity: Identity) => identity.kind === "admin" || identity.kind === "service";

export function requireAdmin(identity: Identity, allowed: string = ALLOWED.admins, field?: string): void {
  if (!isAdmin(identity)) throw denyFor(identity, allowed, field);
}

const isSelfOrAdmin = (identity: Identity, memberId: string) =>
  isAdmin(identity) || (identity.kind === "member" && identity.memberId === memberId.toLowerCase());

/** The member themself, or an admin. */
export function requireSelf(identity: Identity, memberId: string): void {
  if (!isSelfOrAdmin(identity, memberId)) throw denyFor(identity, ALLOWED.self);
}

/** An app of this partner, or an admin. */
export function requirePartner(identity: Identity, partnerId: string, allowed: string = ALLOWED.partner, field?: string): void {
  if (isAdmin(identity)) return;
  if (identity.kind === "partner" && identity.partnerId === partnerId.toLowerCase()) return;
  throw denyFor(identity, allowed, field);
}

/**
 * Something of one member that a partner app may also see: the member themself, an admin, or an app
 * of `partnerId` (a redemption's offering partner). A partner app hears the partner rule, anyone else
 * the member's.
 */
export function requireSelfOrPartner(identity: Identity, memberId: string, partnerId: string): void {
  if (identity.kind === "partner") requirePartner(identity, partnerId);
  else requireSelf(identity, memberId);
}

/** Any signed-in caller. */
export function requireSignedIn(identity: Identity): void {
  if (identity.kind === "anonymous") throw unauthenticated();
}

/**
 * A member's own data: the member, an admin, or (when `linkedPartners` says the member is linked to
 * the calling partner) a partner app, for the few fields partners may see.
 */
export async function requireSelfOrLinkedPartner(identity: Identity, memberId: string, linkedPartners: () => Promise<string[]>): Promise<void> {
  if (identity.kind === "partner" && (await linkedPartners()).includes(identity.partnerId)) return;
  if (!isSelfOrAdmin(identity, memberId)) throw denyFor(identity, ALLOWED.selfOrLinkedPartner);
}
