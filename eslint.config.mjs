// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", ".gen/**", "coverage/**", ".build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain CommonJS scripts preloaded into Node (node --require).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        process: "readonly",
        module: "writable",
        __dirname: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // The provider packages' roots load ~2,200 modules (about 2 s and 560 MB per process):
      // import each resource from its own module instead.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message: "Deep-import: @cdktf/provider-aws/lib/<resource>",
            },
            {
              name: "@cdktf/provider-github",
              message: "Deep-import: @cdktf/provider-github/lib/<resource>",
            },
          ],
          patterns: [
            {
              regex: "^@cdktf/provider-(aws|github)/lib/?$",
              message: "Deep-import a resource module, not the lib index",
            },
          ],
        },
      ],
    },
  },
);
