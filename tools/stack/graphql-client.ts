export interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A minimal GraphQL-over-HTTP client for the seeder and the tests. */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** Like postGraphQL, but any GraphQL error is thrown. */
export async function requestGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const result = await postGraphQL<T>(url, query, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL error: ${result.errors?.map((e) => `${e.message} (${e.extensions?.code})`).join("; ") ?? "no data"}`);
  }
  return result.data;
}

/** Headers for a caller with a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
