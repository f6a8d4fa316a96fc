import { randomUUID } from "node:crypto";
import { signToken } from "../../shared/src/auth/jwt";
import { type GraphQLResult, bearer, postGraphQL } from "../../tools/stack/graphql-client";

/** Helpers for tests that talk to the running stack over HTTP, as a client would. */

export const gatewayUrl = () => process.env.TEST_GATEWAY_URL!;

/** Callers: an admin by default; tests of who-may-do-what pass others. */
export type Caller = Record<string, string>;
export const asAdmin = (): Caller => bearer(signToken({ sub: "test-admin", role: "admin" }, process.env.TEST_JWT_SECRET!));
export const asMember = (memberId: string): Caller => bearer(signToken({ sub: memberId, role: "member" }, process.env.TEST_JWT_SECRET!));
export const asPartnerApp = (apiKey: string): Caller => ({ "x-api-key": apiKey });
export const anonymous: Caller = {};

export function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, caller: Caller = asAdmin()): Promise<GraphQLResult<T>> {
  return postGraphQL<T>(gatewayUrl(), query, variables, caller);
}

/** The data of a request that must succeed; its errors fail the test with their messages. */
export async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, caller: Caller = asAdmin()): Promise<T> {
  const result = await gql<T>(query, variables, caller);
  if (result.errors?.length) throw new Error(`Unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The error of a request that must fail: asserts its code and that no internals leak. */
export async function fails(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  caller: Caller = asAdmin(),
): Promise<{ message: string; extensions?: Record<string, unknown> }> {
  const result = await gql(query, variables, caller);
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  const [error] = result.errors!;
  expect(error.extensions).not.toHaveProperty("stacktrace");
  expect(error.message).not.toMatch(/SELECT|INSERT|QueryFailedError|at .*\.js:\d+/);
  return error;
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** SQL statements a service has sent so far (its /metrics counter). */
export async function sqlStatements(service: "members" | "partners" | "catalog" | "ledger"): Promise<number> {
  return Number(/coalition_sql_statements_total (\d+)/.exec(await metricsOf(service))![1]);
}

/** GraphQL operations named `operation` a subgraph has executed (every outcome and worker). */
export async function operationsServed(service: "members" | "partners" | "catalog" | "ledger", operation: string): Promise<number> {
  let total = 0;
  for (const match of (await metricsOf(service)).matchAll(/^graphql_requests_total\{([^}]*)\} (\d+)/gm)) {
    if (match[1].includes(`operation="${operation}"`)) total += Number(match[2]);
  }
  return total;
}

async function metricsOf(service: string): Promise<string> {
  const url = new URL(process.env[`TEST_${service.toUpperCase()}_URL`]!);
  url.pathname = "/metrics";
  return (await fetch(url)).text();
}
