import { Field, ID, ObjectType } from "type-graphql";
import { PageInfo } from "../../../../shared/src/page-info";

@ObjectType({ description: "One line of the audit trail: who did what, to whom, when, in which request, with what outcome. Lines are never changed or deleted." })
export class AuditEvent {
  @Field(() => ID, { description: "The line's id (a UUID, unique within its service)." })
  id!: string;

  @Field(() => String, { description: "The service that made the change and wrote the line: members, partners, catalog or ledger." })
  service!: string;

  @Field(() => Date, { description: "When (UTC), as the service's database recorded it." })
  occurredAt!: Date;

  @Field(() => String, { description: "Who: `admin:<subject>`, `partner:<partnerId>` (a partner app's API key) or `member:<memberId>`." })
  actor!: string;

  @Field(() => String, { description: "What, e.g. ADJUST_POINTS, RECORD_PURCHASE, REVERSE_PURCHASE, TRANSFER_POINTS, ENROLL_MEMBER, LINK_PARTNER_ACCOUNT, UNLINK_PARTNER_ACCOUNT, REGISTER_PARTNER, ISSUE_PARTNER_API_KEY, REVOKE_PARTNER_API_KEY, CREATE_REWARD, REDEEM_REWARD, CANCEL_REDEMPTION, MARK_VOUCHER_USED, READ_MEMBER_PROFILE." })
  action!: string;

  @Field(() => ID, { nullable: true, description: "The member it concerns, if any." })
  memberId!: string | null;

  @Field(() => ID, { nullable: true, description: "The partner it concerns (or whose app did it), if any." })
  partnerId!: string | null;

  @Field(() => String, { nullable: true, description: "The id of the record made or changed (an entry, a reward, a redemption, an API key…), if any." })
  targetId!: string | null;

  @Field(() => String, { nullable: true, description: "The request's `x-request-id`, to find it in every service's logs." })
  requestId!: string | null;

  @Field(() => String, {
    description:
      "SUCCEEDED: the change happened (the line was written in its transaction, so a change that failed never has one). " +
      "FAILED: an admin or partner app attempted it and it was refused or failed (see errorCode); nothing was changed.",
  })
  outcome!: string;

  @Field(() => String, { nullable: true, description: "For a FAILED line, the error code the caller got (e.g. FORBIDDEN, BAD_USER_INPUT); null otherwise." })
  errorCode!: string | null;
}

@ObjectType({ description: "One audit line with the cursor that marks its place." })
export class AuditEventEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue right after this line." })
  cursor!: string;

  @Field(() => AuditEvent, { description: "The line itself." })
  node!: AuditEvent;
}

@ObjectType({ description: "A page of the audit trail of every service, newest first." })
export class AuditEventConnection {
  @Field(() => [AuditEventEdge], { description: "The lines of this page, newest first (at most `first`)." })
  edges!: AuditEventEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}
