import { Directive, Field, ObjectType } from "type-graphql";
import { Member } from "./member.type";

/** The same shareable PageInfo as the ledger's (activity) and the catalog's connections. */
@Directive("@shareable")
@ObjectType({ description: "Where a page of a list ends, and whether another page follows it." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page: ask again with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's last item, to pass as `after` for the next page; null when the page is empty." })
  endCursor!: string | null;
}

@ObjectType({ description: "One member of a page of members, with the cursor that marks its place in the list." })
export class MemberEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue the list right after this member. Do not parse or build cursors." })
  cursor!: string;

  @Field(() => Member, { description: "The member." })
  node!: Member;
}

@ObjectType({ description: "A page of members, in enrolment order." })
export class MemberConnection {
  @Field(() => [MemberEdge], { description: "The members of this page, in enrolment order (at most `first` of them)." })
  edges!: MemberEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}
