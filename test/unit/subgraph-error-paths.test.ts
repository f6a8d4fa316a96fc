import { parse } from "graphql";
import { errorsWithinAnswer, fieldErrorsOf } from "../../gateway/src/subgraph-error-paths";

/**
 * A failed subgraph call as the errors of the fields it was to answer. The documents are fetch
 * operations as @apollo/gateway's query planner writes them (root fetches and `_entities` fetches).
 */
describe("fieldErrorsOf", () => {
  const down = { message: "The ledger service is unavailable; try again shortly", extensions: { code: "UPSTREAM_UNAVAILABLE" } };
  const pathsOf = (query: string, variables?: Record<string, unknown>) => fieldErrorsOf(down, parse(query), variables).map((e) => e.path);

  it("an entity fetch: one error per entity and field, at `_entities`, index, response key (aliases kept, __typename left out)", () => {
    const query = `query Q__ledger__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { __typename balance { available } points: activity(first: 5) { id } } } }`;
    const representations = [{ __typename: "Member", id: "m-1" }, { __typename: "Member", id: "m-2" }];
    expect(pathsOf(query, { representations })).toEqual([
      ["_entities", 0, "balance"],
      ["_entities", 0, "points"],
      ["_entities", 1, "balance"],
      ["_entities", 1, "points"],
    ]);
    // Each keeps the message and code it had.
    expect(fieldErrorsOf(down, parse(query), { representations })[0]).toEqual({ ...down, path: ["_entities", 0, "balance"] });
  });

  it("each entity gets the fields of its own type's fragment, named fragments included", () => {
    const query = `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { balance } ...P } }
      fragment P on Partner { statement { total } }`;
    const representations = [{ __typename: "Partner", id: "p-1" }, { __typename: "Member", id: "m-1" }];
    expect(pathsOf(query, { representations })).toEqual([["_entities", 0, "statement"], ["_entities", 1, "balance"]]);
  });

  it("an entity of no fragment's type is an error at the entity itself", () => {
    const query = `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { balance } } }`;
    expect(pathsOf(query, { representations: [{ __typename: "Reward", id: "r-1" }] })).toEqual([["_entities", 0]]);
  });

  it("a root fetch: one error per root field", () => {
    expect(pathsOf(`mutation M($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`, { input: {} })).toEqual([["recordPurchase"]]);
    expect(pathsOf(`query Q { a: statement { total } reward(id: "r") { title } __typename }`)).toEqual([["a"], ["reward"]]);
  });

  it("@skip and @include by literal and by variable", () => {
    const query = `query Q($v: Boolean!, $representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { a @skip(if: true) b @include(if: $v) c @skip(if: $v) d @include(if: false) e } } }`;
    expect(pathsOf(query, { v: true, representations: [{ __typename: "Member" }] })).toEqual([["_entities", 0, "b"], ["_entities", 0, "e"]]);
    expect(pathsOf(query, { v: false, representations: [{ __typename: "Member" }] })).toEqual([["_entities", 0, "c"], ["_entities", 0, "e"]]);
  });

  it("without a document (a query that did not parse) the error stays as it was, without a path", () => {
    expect(fieldErrorsOf(down, undefined, {})).toEqual([down]);
  });
});

describe("errorsWithinAnswer", () => {
  const down = (path?: (string | number)[]) => ({ message: "The ledger service is unavailable; try again shortly", ...(path ? { path } : {}), extensions: { code: "UPSTREAM_UNAVAILABLE" } });

  it("keeps paths the answer has, to a field, an index, or past a null", () => {
    const data = { member: { displayName: "M", balance: null }, members: [{ balance: null }], recordPurchase: null };
    const errors = [down(["member", "balance"]), down(["members", 0, "balance"]), down(["recordPurchase"]), down(["member", "balance", "available"]), down()];
    expect(errorsWithinAnswer(data, errors)).toEqual(errors);
    expect(errorsWithinAnswer(null, [down(["recordPurchase"])])).toEqual([down(["recordPurchase"])]);
  });

  it("a path into a field the client did not select loses its path; the copies that then say the same merge", () => {
    // member { dataExport } while the ledger is down: the gateway fetched the @inaccessible
    // ledgerDataExport for the members service, for two members.
    const data = { a: { dataExport: null }, b: { dataExport: null } };
    const other = { message: "Export failed", path: ["a", "dataExport"], extensions: { code: "UPSTREAM_UNAVAILABLE" } };
    expect(errorsWithinAnswer(data, [down(["a", "ledgerDataExport"]), down(["b", "ledgerDataExport"]), other, down(["members", 5, "balance"])])).toEqual([down(), other]);
    // An index the list does not have.
    expect(errorsWithinAnswer({ members: [{ balance: null }] }, [down(["members", 1, "balance"])])).toEqual([down()]);
  });

  it("an error at a field fetched for another field moves to that field, once, when the answer left it null", () => {
    // member { rewards: eligibleRewards dataExport } while the ledger is down: the gateway fetched
    // tier and balance for eligibleRewards and ledgerDataExport for dataExport.
    const data = { member: { rewards: null, dataExport: null, displayName: "M" } };
    const dependents = (parent: (string | number)[], key: string) =>
      ({ tier: [[...parent, "rewards"]], balance: [[...parent, "rewards"]], ledgerDataExport: [[...parent, "dataExport"]] })[key] ?? [];
    const errors = [down(["member", "tier"]), down(["member", "balance"]), down(["member", "ledgerDataExport"]), down(["member", "points"])];
    expect(errorsWithinAnswer(data, errors, dependents)).toEqual([down(["member", "rewards"]), down(["member", "dataExport"]), down()]);
    // An index is never a field: it loses its path.
    expect(errorsWithinAnswer({ members: [] }, [down(["members", 0])], () => [["members"]])).toEqual([down()]);
  });
});
