import { GraphQLError } from "graphql";
import type { Identity } from "./proof";

/**
 * Who may do what, decided in the subgraphs from the identity the gateway signed. Denials leak
 * nothing: they are decided before looking anything up, so "not yours" and "does not exist" read alike.
 */
export const unauthenticated = () => new GraphQLError("Sign in first: send a bearer token or an API key", { extensions: { code: "UNAUTHENTICATED" } });
export const forbidden = () => new GraphQLError("You are not allowed to do this", { extensions: { code: "FORBIDDEN" } });

/** The denial for this caller: UNAUTHENTICATED when nobody signed in, FORBIDDEN otherwise. */
export const denyFor = (identity: Identity): GraphQLError => (identity.kind === "anonymous" ? unauthenticated() : forbidden());

export const isAdmin = (identity: Identity) => identity.kind === "admin" || identity.kind === "service";

export function requireAdmin(identity: Identity): void {
  if (!isAdmin(identity)) throw denyFor(identity);
}

/** The member themself, or an admin. */
export function requireSelf(identity: Identity, memberId: string): void {
  if (isAdmin(identity)) return;
  if (identity.kind === "member" && identity.memberId === memberId.toLowerCase()) return;
  throw denyFor(identity);
}

/** An app of this partner, or an admin. */
export function requirePartner(identity: Identity, partnerId: string): void {
  if (isAdmin(identity)) return;
  if (identity.kind === "partner" && identity.partnerId === partnerId.toLowerCase()) return;
  throw denyFor(identity);
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
  requireSelf(identity, memberId);
}
