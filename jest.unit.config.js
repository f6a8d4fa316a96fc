/**
 * `npm run test:unit`: the fast tier. Pure tests only (test/unit/): no build, no Postgres, no services,
 * so no globalSetup. `npm test` (package.json's jest config) runs these too, with everything else.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/unit"],
  testMatch: ["**/*.test.ts"],
  // Transpile only: type errors are the build's job (npm run build), and this tier must take seconds.
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  testTimeout: 10000,
};
