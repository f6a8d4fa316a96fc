import { randomBytes, timingSafeEqual } from "node:crypto";
import { hashApiKey } from "../../../../shared/src/auth/api-key";
import type { DataSource } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { notFound } from "../../../../shared/src/errors";
import { requireId } from "../../../../shared/src/validation";

export interface ApiKeyRow {
  id: string;
  partner_id: string;
  key_hash: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

export class ApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  /** A new key for a partner app: returned once, stored only as a hash. */
  async issue(partnerId: string, caller: AuditCaller): Promise<{ row: ApiKeyRow; key: string }> {
    const id = requireId(partnerId, "partnerId");
    const [partner] = await this.dataSource.query(`SELECT id FROM partners WHERE id = $1`, [id]);
    if (!partner) throw notFound(`No partner with id ${id}`);
    const key = `ck_${randomBytes(32).toString("base64url")}`;
    const row = await this.dataSource.transaction(async (tx) => {
      const [inserted]: ApiKeyRow[] = await tx.query(
        `INSERT INTO partner_api_keys (partner_id, key_hash, prefix) VALUES ($1, $2, $3) RETURNING *`,
        [id, hashApiKey(key), key.slice(0, 7)],
      );
      // The key's id, never the key or its hash.
      await auditWrite(tx, caller, { action: "ISSUE_PARTNER_API_KEY", partnerId: id, targetId: inserted.id });
      return inserted;
    });
    return { row, key };
  }

  async revoke(keyId: string, caller: AuditCaller): Promise<ApiKeyRow> {
    const id = requireId(keyId, "id");
    return this.dataSource.transaction(async (tx) => {
      // Only a key still live is revoked now; revoking it again changes nothing and, a replay, adds no audit line (README, The audit trail).
      // As a SELECT over the UPDATE: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
      const revokedNow: ApiKeyRow[] = await tx.query(`WITH k AS (UPDATE partner_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING *) SELECT * FROM k`, [id]);
      const [row]: ApiKeyRow[] = revokedNow.length ? revokedNow : await tx.query(`SELECT * FROM partner_api_keys WHERE id = $1`, [id]);
      if (!row) throw notFound(`No API key with id ${id}`);
      if (revokedNow.length) await auditWrite(tx, caller, { action: "REVOKE_PARTNER_API_KEY", partnerId: row.partner_id, targetId: id });
      return row;
    });
  }

  /** The partner a live key belongs to, or null. The stored hash is compared in constant time. */
  async ownerOf(keyHash: string): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(keyHash)) return null;
    const [row]: ApiKeyRow[] = await this.dataSource.query(`SELECT * FROM partner_api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [keyHash]);
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(keyHash))) return null;
    return row.partner_id;
  }
}
