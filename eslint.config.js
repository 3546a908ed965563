// ESLint for the SLAN editor's JavaScript: browser ES modules in kslars/web/static/slan/js, and the unit tests
// under tests/js that Node's test runner runs. From the repository root: `npm ci`, then `npm run lint`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: [".venv/", "staticfiles/", "build/", "dist/", "test-artifacts/"] },
  js.configs.recommended,
  {
    files: ["kslars/web/static/slan/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
  },
  {
    files: ["tests/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
  },
  {
    rules: {
      "no-unused-vars": ["error", { caughtErrors: "none", ignoreRestSiblings: true }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
];
