import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { Kind, valueFromASTUntyped } from "graphql";
import type { DataSource } from "typeorm";
import type { Identity } from "../auth/proof";
import { answeredCode, isDatabaseUnavailable } from "../errors";
import type { Logger } from "../logger";
import { REQUEST_ID_HEADER } from "../request-id";
import { isUuid } from "../validation";
import { actorOf, isAuditedCaller, recordAudit } from "./record-audit";

/** `adjustPoints` → `ADJUST_POINTS`: a FAILED line's action is the mutation's name, as its SUCCEEDED line's is. */
export const actionOfMutation = (field: string) => field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** The member and partner an attempt was about, from its arguments (`memberId`, `partnerId`, or inside `input`). */
export function targetsOf(args: Record<string, unknown>): { memberId: string | null; partnerId: string | null } {
  const input = typeof args.input === "object" && args.input !== null ? (args.input as Record<string, unknown>) : {};
  const pick = (key: string) => {
    const value = args[key] ?? input[key];
    return typeof value === "string" && isUuid(value) ? value.toLowerCase() : null;
  };
  return { memberId: pick("memberId") ?? pick("fromMemberId"), partnerId: pick("partnerId") ?? pick("fundedByPartnerId") };
}

/**
 * Attempts that did not happen: a mutation by an admin or a partner app that answered with an error
 * leaves a FAILED line (the action, its member and partner, the error code, the request id), written
 * after the failed transaction rolled back, in one of its own. Best effort and off the answer's path:
 * the answer does not wait for it, and a database that is down loses it (logged). Its SUCCEEDED line
 * could not exist: it was rolled back with the change.
 */
export function auditFailedWrites(dataSource: DataSource, log: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, errors, contextValue, request }) {
          if (operation?.operation !== "mutation" || !errors?.length) return;
          const identity = (contextValue as { identity?: Identity }).identity;
          if (!identity || !isAuditedCaller(identity)) return;
          const requestId = request.http?.headers.get(REQUEST_ID_HEADER) ?? null;
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== Kind.FIELD || selection.name.value.startsWith("__")) continue;
            const key = selection.alias?.value ?? selection.name.value;
            // The mutation's own error (path [key]): one inside its answer (a field of the result the caller may not
            // read, say) leaves the write done, with its SUCCEEDED line; a FAILED line would say it was refused.
            const error = errors.find((e) => e.path?.length === 1 && e.path[0] === key);
            if (!error) continue;
            const args = Object.fromEntries((selection.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, request.variables)]));
            const line = {
              actor: actorOf(identity),
              action: actionOfMutation(selection.name.value),
              ...targetsOf(args),
              requestId,
              errorCode: answeredCode(error).slice(0, 50),
            };
            void recordAudit(dataSource.manager, line).catch((failure) => {
              const fields = { requestId, action: line.action, error: (failure as Error).message };
              // With the database away the failure itself was logged already ("database unavailable"):
              // one line per failure under an outage (README, Logs under an outage), this one at debug.
              if (isDatabaseUnavailable(failure)) log.debug("could not record a failed attempt in the audit trail", fields);
              else log.warn("could not record a failed attempt in the audit trail", fields);
            });
          }
        },
      };
    },
  };
}
