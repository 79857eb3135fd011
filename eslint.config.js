// Lint configuration: typescript-eslint's recommended rules on every TypeScript file.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "dist-web/**", "node_modules/**", "coverage/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: "error",
      "prefer-const": "error",
    },
  },
  // The examples are plain JavaScript for Node (ES modules and CommonJS) and for a page.
  {
    files: ["examples/**/*.{js,mjs,cjs}"],
    languageOptions: { globals: { URL: "readonly", AbortController: "readonly" } },
  },
  {
    files: ["examples/**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", __dirname: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  // The exercise skeletons leave the helpers and arguments for the learner to use.
  {
    files: ["examples/exercises/*.ts"],
    rules: { "@typescript-eslint/no-unused-vars": "off" },
  },
  {
    files: ["examples/browser/**/*.js"],
    languageOptions: {
      globals: {
        Blob: "readonly",
        clearInterval: "readonly",
        document: "readonly",
        DOMException: "readonly",
        fetch: "readonly",
        performance: "readonly",
        setInterval: "readonly",
      },
    },
  },
);
