import { Field, ObjectType } from "type-graphql";
import { encodeIdCursor, pageOf } from "../../../../shared/src/cursor";
import { PageInfo } from "../../../../shared/src/page-info";
import { Campaign } from "./campaign.type";

@ObjectType({ description: "One campaign of a page of campaigns, with the cursor that marks its place in the list." })
export class CampaignEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue the list right after this campaign. Do not parse or build cursors." })
  cursor!: string;

  @Field(() => Campaign, { description: "The campaign." })
  node!: Campaign;
}

@ObjectType({ description: "A page of campaigns, in the order of the list it pages (`campaignsConnection`: newest first; `Member.offersConnection`: the order bonuses apply in)." })
export class CampaignConnection {
  @Field(() => [CampaignEdge], { description: "The campaigns of this page (at most `first` of them)." })
  edges!: CampaignEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}

/** A page of campaigns from `size + 1` of them. */
export function campaignConnection(rows: Campaign[], size: number): CampaignConnection {
  const { items, hasNextPage } = pageOf(rows, size);
  const edges = items.map((node) => Object.assign(new CampaignEdge(), { cursor: encodeIdCursor("campaign", node.id), node }));
  return Object.assign(new CampaignConnection(), { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } });
}
