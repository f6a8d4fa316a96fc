import { Directive, Field, ObjectType } from "type-graphql";

/**
 * Where a page of a cursor connection ends. One definition for every subgraph that pages a list
 * (the catalog's rewards and redemptions, the members service's members, the ledger's activity and
 * audit log): shareable, so federation requires it identical everywhere, which one class guarantees.
 */
@Directive("@shareable")
@ObjectType({ description: "Where a page of a list ends, and whether another page follows it." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page: ask again with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's last item, to pass as `after` for the next page; null when the page is empty." })
  endCursor!: string | null;
}
