/**
 * CSRF prevention (Apollo Server's `csrfPrevention`): a GET query, or a POST that is not JSON, runs
 * only with one of these headers. A browser page on another origin cannot send any of them without a
 * CORS preflight (which the gateway's CORS policy answers only for allowed origins), so such a request
 * cannot be forged. `authorization` and `x-api-key` are here because this API authenticates by header
 * only, never by cookie: a request carrying a credential was made deliberately by a client that holds
 * it, so clients that send GET queries (urql by default, Apollo Client's `useGETForQueries`) need no
 * extra header once they authenticate. Anonymous GET queries still need `apollo-require-preflight: true`
 * (or a POST). Mutations are never run over GET.
 */
export const CSRF_PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight", "authorization", "x-api-key"];
