#!/usr/bin/env node
// The scenario counts a real third-party Cucumber JSON consumer computes from a cucumber.json:
// the npm package `multiple-cucumber-html-reporter`, installed by tests/cucumber_consumer.rs into
// the directory named by CUCUMBER_CONSUMER_DIR. Usage:
//
//   node cucumber_counts.cjs CUCUMBER_JSON OUT_DIR
//
// The report is generated with the consumer's own `generate()` and its documented option
// `saveCollectedJSON`, which makes it write `enriched-output.json`: the suite as the report
// templates see it, with the scenario counts the consumer computed (`scenarios.passed`, `failed`,
// `skipped`, `pending`, `notDefined`, `ambiguous`, `total`). Nothing is counted here: this script
// only reads those numbers back, checks that the generated index.html shows the same total, and
// collects the step error messages as the generated feature pages show them.
//
// Prints one JSON object on stdout:
//   {"consumer": "multiple-cucumber-html-reporter@X", "scenarios": {...}, "features": [{"name",
//    "scenarios"}], "html_total": N, "errors": ["…"], "report": "OUT_DIR/report/index.html"}
// Exit 3 when the consumer cannot be loaded or throws on the input.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.CUCUMBER_CONSUMER_DIR;
if (!dir) {
  console.error("CUCUMBER_CONSUMER_DIR is not set");
  process.exit(3);
}
const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error("usage: cucumber_counts.cjs CUCUMBER_JSON OUT_DIR");
  process.exit(3);
}

const pkgDir = path.join(dir, "node_modules", "multiple-cucumber-html-reporter");
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
const reporter = require(pkgDir);

// The consumer reads every *.json under jsonDir, recursively: give it a folder holding only ours.
const jsonDir = path.join(out, "input");
const reportPath = path.join(out, "report");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(jsonDir, { recursive: true });
fs.copyFileSync(input, path.join(jsonDir, "cucumber.json"));

try {
  reporter.generate({
    jsonDir,
    reportPath,
    saveCollectedJSON: true,
    disableLog: true,
    // Not `staticFilePath`: it names each feature page after the feature's `id` alone, and
    // features without one would overwrite each other's page.
  });
} catch (e) {
  console.error(`multiple-cucumber-html-reporter@${version} failed on ${input}:`);
  console.error(e && e.stack ? e.stack : e);
  process.exit(3);
}

const enriched = JSON.parse(fs.readFileSync(path.join(reportPath, "enriched-output.json"), "utf8"));
const pick = (s) => ({
  passed: s.passed,
  failed: s.failed,
  skipped: s.skipped,
  pending: s.pending,
  notDefined: s.notDefined,
  ambiguous: s.ambiguous,
  total: s.total,
});

// The overview page prints the scenario total under the scenario chart:
// `<canvas id="scenario-chart"></canvas> <div class="total">N</div>`.
const index = fs.readFileSync(path.join(reportPath, "index.html"), "utf8");
const total = index.match(/id="scenario-chart"><\/canvas>\s*<div class="total">\s*(\d+)\s*<\/div>/);

// Step error messages as rendered on the feature pages (`<pre class=info>` in the error panels).
const unescape = (s) =>
  s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
const errors = [];
const featureDir = path.join(reportPath, "features");
for (const page of fs.existsSync(featureDir) ? fs.readdirSync(featureDir).sort() : []) {
  const html = fs.readFileSync(path.join(featureDir, page), "utf8");
  for (const m of html.matchAll(/-error" class="scenario-step-collapse collapse">\s*<pre class=info>([\s\S]*?)<\/pre>/g)) {
    errors.push(unescape(m[1]));
  }
}

process.stdout.write(
  JSON.stringify({
    consumer: `multiple-cucumber-html-reporter@${version}`,
    scenarios: pick(enriched.scenarios),
    features: enriched.features.map((f) => ({ name: f.name, scenarios: pick(f.scenarios) })),
    html_total: total ? Number(total[1]) : null,
    errors,
    report: path.join(reportPath, "index.html"),
  }) + "\n"
);
