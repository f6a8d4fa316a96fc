import type { EntityManager } from "typeorm";
import { appError } from "../../../../shared/src/errors";

/** Whether the member's id is erased (the erasure's ledger step marks it: erasure.service.ts); an erasure is never undone. */
export async function isErased(manager: EntityManager, memberId: string): Promise<boolean> {
  const [row] = await manager.query(`SELECT 1 FROM member_erasures WHERE member_id = $1`, [memberId]);
  return Boolean(row);
}

/** Points never arrive for an erased member (a hold, a cancelled redemption's refund, a transfer): the caller holds the member's lock. */
export async function requireNotErased(manager: EntityManager, memberId: string): Promise<void> {
  if (await isErased(manager, memberId)) throw appError("NOT_FOUND", `No member with id ${memberId}`);
}
