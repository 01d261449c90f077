// ESLint with typescript-eslint's type-checked rules: promises that are neither awaited nor handled
// (no-floating-promises), async functions where a callback's result is ignored (no-misused-promises), and the
// rest of the recommended set. Prettier owns formatting; npm test runs both.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "client/dist/", "client/gen/", "node_modules/", "bench/results/"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // An async function that implements a Promise-returning interface reads better than Promise.resolve().
      "@typescript-eslint/require-await": "off",
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
