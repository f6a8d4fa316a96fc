import { Ctx, Query, Resolver } from "type-graphql";
import { ALLOWED, denyFor } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { Viewer, ViewerKind } from "./viewer.type";

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, {
    description: withExample(
      "Who is calling: anonymous, a member (with their `Member`), a partner app (with its `Partner`) or an admin. Never an error for a caller " +
        "the gateway lets in: without credentials it is ANONYMOUS. Errors: none of its own (a wrong token or API key is refused by the gateway before: UNAUTHENTICATED).",
      `query {
  viewer {
    kind
    member { id displayName balance { available } }
    partner { id name }
  }
}`,
    ),
  })
  viewer(@Ctx() context: Context): Promise<Viewer> {
    return viewerOf(context);
  }
}

async function viewerOf({ identity, loaders }: Context): Promise<Viewer> {
  const viewer = (kind: ViewerKind, member: Viewer["member"] = null, partner: Viewer["partner"] = null) => Object.assign(new Viewer(), { kind, member, partner });
  switch (identity.kind) {
    case "anonymous":
      return viewer(ViewerKind.ANONYMOUS);
    case "member":
      return viewer(ViewerKind.MEMBER, await loaders.member.load(identity.memberId));
    case "partner":
      return viewer(ViewerKind.PARTNER, null, Object.assign(new Partner(), { id: identity.partnerId }));
    case "admin":
      return viewer(ViewerKind.ADMIN);
    default:
      // Services calling each other are not viewers of the public API.
      throw denyFor(identity, ALLOWED.publicCallers);
  }
}
