import { ManifestError, documentHash, mayRun, parseManifest, trustedDocumentsMode } from "../../gateway/src/trusted-documents/manifest";

// Hashes written out with `printf '%s' '<document>' | sha256sum`, not computed by the code under test.
const TYPENAME = "{ __typename }";
const TYPENAME_HASH = "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b";
const PARTNERS = "query Partners { partners { id name } }";
const PARTNERS_HASH = "b6abf0bad788b427db0d5e9992ddca64155399645a9cf87ed8f684d2e4b031ca";
const NOT_GRAPHQL = "hello";
const NOT_GRAPHQL_HASH = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

describe("trusted documents: manifests", () => {
  it("hashes a document as Apollo's persisted-query protocol does (SHA-256, lower-case hex)", () => {
    expect(documentHash(TYPENAME)).toBe(TYPENAME_HASH);
    expect(documentHash(PARTNERS)).toBe(PARTNERS_HASH);
  });

  it("reads GraphQL Code Generator's manifest (hash -> document), with or without the sha256: prefix", () => {
    expect([...parseManifest({ [TYPENAME_HASH]: TYPENAME, [`sha256:${PARTNERS_HASH}`]: PARTNERS })]).toEqual([
      [TYPENAME_HASH, TYPENAME],
      [PARTNERS_HASH, PARTNERS],
    ]);
  });

  it("reads Apollo's manifest format", () => {
    const manifest = { format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: PARTNERS_HASH, name: "Partners", type: "query", body: PARTNERS }] };
    expect([...parseManifest(manifest)]).toEqual([[PARTNERS_HASH, PARTNERS]]);
  });

  it("refuses a document that is not GraphQL when a manifest is registered, and reads it from one already on disk", () => {
    expect(() => parseManifest({ [TYPENAME_HASH]: TYPENAME, [NOT_GRAPHQL_HASH]: NOT_GRAPHQL }, { graphqlOnly: true })).toThrow(
      new ManifestError(`the document of ${NOT_GRAPHQL_HASH} is not GraphQL: Syntax Error: Unexpected Name "hello".`),
    );
    expect([...parseManifest({ [NOT_GRAPHQL_HASH]: NOT_GRAPHQL })]).toEqual([[NOT_GRAPHQL_HASH, NOT_GRAPHQL]]);
    expect(parseManifest({ [PARTNERS_HASH]: PARTNERS }, { graphqlOnly: true }).size).toBe(1);
  });

  it.each([
    ["not an object", [TYPENAME], /JSON object/],
    ["a hash that is not its document's", { [TYPENAME_HASH]: PARTNERS }, /is not the SHA-256 of its document/],
    ["an upper-case hash", { [TYPENAME_HASH.toUpperCase()]: TYPENAME }, /not a SHA-256 hash/],
    ["a short hash", { abc: TYPENAME }, /not a SHA-256 hash/],
    ["an empty document", { [TYPENAME_HASH]: "  " }, /non-empty string/],
    ["a document that is not a string", { [TYPENAME_HASH]: 1 }, /non-empty string/],
    ["a NUL character", { [TYPENAME_HASH]: "{ __typename }\u0000" }, /NUL/],
    ["an Apollo manifest of another version", { format: "apollo-persisted-query-manifest", version: 2, operations: [] }, /version 1/],
    ["an Apollo operation without an id", { format: "apollo-persisted-query-manifest", version: 1, operations: [{ body: TYPENAME }] }, /operations\[0\]/],
  ])("refuses a manifest with %s", (_what, manifest, message) => {
    expect(() => parseManifest(manifest)).toThrow(ManifestError);
    expect(() => parseManifest(manifest)).toThrow(message);
  });
});

describe("trusted documents: who may send what", () => {
  it.each([
    // mode, caller, trusted document?, may run
    ["off", "partner", false, true],
    ["off", "member", false, true],
    ["partners", "partner", true, true],
    ["partners", "partner", false, false],
    ["partners", "member", false, true],
    ["partners", "admin", false, true],
    ["partners", "anonymous", false, true],
  ] as const)("%s mode, a %s sending a trusted document: %s -> %s", (mode, caller, trusted, expected) => {
    expect(mayRun(mode, caller, trusted)).toBe(expected);
  });

  it("TRUSTED_DOCUMENTS defaults to partners in production and off elsewhere; anything else is refused", () => {
    expect(trustedDocumentsMode(undefined, true)).toBe("partners");
    expect(trustedDocumentsMode("", false)).toBe("off");
    expect(trustedDocumentsMode("off", true)).toBe("off");
    expect(trustedDocumentsMode("partners", false)).toBe("partners");
    expect(() => trustedDocumentsMode("all", false)).toThrow('TRUSTED_DOCUMENTS must be one of off, partners, got "all"');
  });
});
