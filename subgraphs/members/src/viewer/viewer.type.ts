import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Member } from "../member/member.type";
import { Partner } from "../partner/partner.type";

/** Who is calling, as the gateway proved it to this subgraph. */
export enum ViewerKind {
  ANONYMOUS = "ANONYMOUS",
  MEMBER = "MEMBER",
  PARTNER = "PARTNER",
  ADMIN = "ADMIN",
}
registerEnumType(ViewerKind, {
  name: "ViewerKind",
  description: "What kind of caller a request comes from, decided by its credentials.",
  valuesConfig: {
    ANONYMOUS: { description: "No credentials: public data only (`partners`, `rewards`)." },
    MEMBER: { description: "A member's bearer token: `viewer.member` is that member." },
    PARTNER: { description: "A partner app's API key (`x-api-key`): `viewer.partner` is the partner it acts for." },
    ADMIN: { description: "An admin's bearer token." },
  },
});

@ObjectType({
  description:
    "The caller of this request: who the credentials it carries belong to. A member app starts here (no member id to configure), " +
    "a partner app learns its partner (no partner id to configure).",
})
export class Viewer {
  @Field(() => ViewerKind, { description: "What kind of caller this is." })
  kind!: ViewerKind;

  @Field(() => Member, { nullable: true, description: "The member, when `kind` is MEMBER (null for any other kind, and for a token of a member who no longer exists)." })
  member!: Member | null;

  @Field(() => Partner, { nullable: true, description: "The partner the API key acts for, when `kind` is PARTNER (null for any other kind)." })
  partner!: Partner | null;
}
