import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { MemberRecord } from "./member.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A person enrolled in the coalition: one points balance usable at every partner." })
export class Member {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Email address, lowercased; unique across the coalition." })
  email!: string;

  @Field(() => String, { description: "Name shown to the member and to partners." })
  displayName!: string;

  @Field(() => Date, { description: "When the member enrolled." })
  enrolledAt!: Date;

  static from(record: MemberRecord): Member {
    return Object.assign(new Member(), record);
  }
}
