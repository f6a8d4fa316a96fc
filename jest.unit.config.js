/**
 * `npm run test:unit`: the fast tier. Pure tests only (test/unit/): no build, no Postgres, no services,
 * so no globalSetup. `npm test` (package.json's jest config) runs these too, with everything else.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/unit"],
  testMatch: ["**/*.test.ts"],
  // tsconfig.json's isolatedModules makes ts-jest transpile each file alone (no type-check: that is
  // the build's job), which keeps this tier to seconds.
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 10000,
};
