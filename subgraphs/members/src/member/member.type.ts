import { Directive, Field, ID, ObjectType } from "type-graphql";
import { JSONScalar, memberDataDocs } from "../../../../shared/src/member-data/member-data-export";
import { docs } from "../../../../shared/src/schema-docs";
import type { MemberRecord } from "./member.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: docs.member })
export class Member {
  @Field(() => ID, { description: docs.memberId })
  id!: string;

  // email, displayName and enrolledAt are resolved in member.resolver.ts, where who may see them is decided.
  email!: string;
  displayName!: string;
  enrolledAt!: Date;
  /** Unset on a member just enrolled (the database chose it): member.resolver.ts reads it then. */
  referralCode?: string;

  // The other services' parts of dataExport, fetched by the gateway (`@requires`), never by this service.
  @Directive("@external")
  @Field(() => JSONScalar, { nullable: true, description: memberDataDocs.ledgerPart })
  ledgerDataExport?: unknown;

  @Directive("@external")
  @Field(() => JSONScalar, { nullable: true, description: memberDataDocs.catalogPart })
  catalogDataExport?: unknown;

  @Directive("@external")
  @Field(() => JSONScalar, { nullable: true, description: memberDataDocs.partnersPart })
  partnersDataExport?: unknown;

  static from(record: MemberRecord): Member {
    return Object.assign(new Member(), record);
  }
}
