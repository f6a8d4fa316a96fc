import { partnerStub } from "./partner.type";

/** The ledger answers for any partner id (one it has never seen has zero points): no lookup needed. */
export const partnerReference = {
  Partner: { __resolveReference: (reference: { id: string }) => partnerStub(reference.id) },
};
