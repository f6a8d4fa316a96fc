import { Field, ObjectType } from "type-graphql";
import { PageInfo } from "../../../../shared/src/page-info";
import { LedgerEntry } from "../entry/ledger-entry.type";

@ObjectType({ description: "One entry of a member's activity, with the cursor that marks its place in the list." })
export class LedgerEntryEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue the list right after this entry. Do not parse or build cursors." })
  cursor!: string;

  @Field(() => LedgerEntry, { description: "The entry itself." })
  node!: LedgerEntry;
}

@ObjectType({ description: "A page of a member's ledger entries, newest first." })
export class LedgerEntryConnection {
  @Field(() => [LedgerEntryEdge], { description: "The entries of this page, newest first (at most `first` of them)." })
  edges!: LedgerEntryEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}
