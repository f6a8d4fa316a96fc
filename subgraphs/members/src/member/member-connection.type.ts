import { Field, ObjectType } from "type-graphql";
import { PageInfo } from "../../../../shared/src/page-info";
import { Member } from "./member.type";

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
