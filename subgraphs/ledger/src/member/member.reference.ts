import { memberStub } from "./member.type";

/** The ledger knows every member id it is asked about (a member with no history has zero points): no lookup needed. */
export const memberReference = {
  Member: { __resolveReference: (reference: { id: string }) => memberStub(reference.id) },
};
