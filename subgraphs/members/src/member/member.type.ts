import { Directive, Field, ID, ObjectType } from "type-graphql";
import type { MemberRecord } from "./member.entity";

@Directive(`@key(fields: "id")`)
@ObjectType({ description: "A person enrolled in the coalition: one points balance usable at every partner." })
export class Member {
  @Field(() => ID)
  id!: string;

  // email, displayName and enrolledAt are resolved in member.resolver.ts, where who may see them is decided.
  email!: string;
  displayName!: string;
  enrolledAt!: Date;

  static from(record: MemberRecord): Member {
    return Object.assign(new Member(), record);
  }
}
