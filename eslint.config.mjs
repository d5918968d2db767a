// ESLint (flat config): JavaScript's recommended rules and typescript-eslint's, without type
// information (which would type-check the provider packages on every run). Formatting is Prettier's.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".build/", ".cache/", "coverage/", ".gen/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Tests read synthesized JSON, which has no static type.
      "@typescript-eslint/no-explicit-any": ["error", { ignoreRestArgs: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Issue 20's house rules for the constructs: short constructors, small files.
    files: ["constructs/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 80 }], "max-lines": ["error", { max: 400 }] },
  },
  {
    files: ["__tests__/**/*.ts"],
    // Tests match messages as printed, indentation included.
    rules: { "@typescript-eslint/no-explicit-any": "off", "no-regex-spaces": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
);
