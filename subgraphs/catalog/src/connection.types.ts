import { Field, ObjectType } from "type-graphql";
import { PageInfo } from "../../../shared/src/page-info";
import { encodeIdCursor, pageOf } from "../../../shared/src/cursor";
import { Redemption } from "./redemption/redemption.type";
import { Reward } from "./reward/reward.type";

@ObjectType({ description: "One reward of a page of rewards, with the cursor that marks its place in the list." })
export class RewardEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue the list right after this reward. Do not parse or build cursors." })
  cursor!: string;

  @Field(() => Reward, { description: "The reward." })
  node!: Reward;
}

@ObjectType({ description: "A page of rewards, cheapest first (ties by id)." })
export class RewardConnection {
  @Field(() => [RewardEdge], { description: "The rewards of this page, cheapest first (at most `first` of them)." })
  edges!: RewardEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}

@ObjectType({ description: "One redemption of a page of redemptions, with the cursor that marks its place in the list." })
export class RedemptionEdge {
  @Field(() => String, { description: "Opaque: pass it as `after` to continue the list right after this redemption. Do not parse or build cursors." })
  cursor!: string;

  @Field(() => Redemption, { description: "The redemption." })
  node!: Redemption;
}

@ObjectType({ description: "A page of a member's redemptions, newest first." })
export class RedemptionConnection {
  @Field(() => [RedemptionEdge], { description: "The redemptions of this page, newest first (at most `first` of them)." })
  edges!: RedemptionEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;
}

/** A page of rewards from `size + 1` of them. */
export function rewardConnection(rows: Reward[], size: number): RewardConnection {
  const { items, hasNextPage } = pageOf(rows, size);
  const edges = items.map((node) => Object.assign(new RewardEdge(), { cursor: encodeIdCursor("reward", node.id), node }));
  return Object.assign(new RewardConnection(), { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } });
}
