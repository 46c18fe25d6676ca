// `npm run lint` (and `npm run typecheck`, and CI): typescript-eslint's recommended rules over every
// TypeScript source, React's hooks rules over the tab, and directive comments that say why.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";

export default tseslint.config(
  { ignores: ["**/node_modules/", "**/dist/", "**/dist-server/", ".data/", ".deploy/", "test-results/", "coverage/"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    rules: {
      // An eslint-disable says why on its own line: `// eslint-disable-next-line rule -- the reason`.
      "@eslint-community/eslint-comments/require-description": ["error", { ignore: [] }],
      "@eslint-community/eslint-comments/no-unused-disable": "error",
      // A parameter or binding named with a leading underscore is unused on purpose (a signature to keep, a value to skip).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["tab/src/**/*.{ts,tsx}", "test/tab/**/*.{ts,tsx}", "test/bench/tab-floor/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    // The Rules of Hooks and exhaustive dependencies (the plugin's classic pair; its React Compiler rules are for code written for the compiler).
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    files: ["test/**/*.{ts,tsx}"],
    // Tests read answers of any shape from HTTP and JSON files and assert on them.
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: ["api/src/**/*.ts", "bot/src/**/*.ts", "common/src/**/*.ts", "tab/src/**/*.{ts,tsx}"],
    // Small files, one concept each, and functions a reader takes in at once (STYLE.md); a truly declarative table says so with its own eslint-disable and reason.
    rules: {
      "max-lines": ["error", { max: 300, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 70, skipBlankLines: true, skipComments: true }],
    },
  },
);
