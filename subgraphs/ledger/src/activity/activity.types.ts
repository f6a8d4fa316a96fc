import { Directive, Field, ObjectType } from "type-graphql";
import { LedgerEntry } from "../entry/ledger-entry.type";

/**
 * Where a page ends and whether there is more. Shareable: it is a plain value type that other
 * subgraphs may define too for their own lists.
 */
@Directive("@shareable")
@ObjectType({ description: "Where a page of a list ends, and whether another page follows it." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page: ask again with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's last item, to pass as `after` for the next page; null when the page is empty." })
  endCursor!: string | null;
}

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
