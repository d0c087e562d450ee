#!/usr/bin/env node
// Checks the installed dependencies against the registry's security advisories: `pnpm audit --json`, once for
// production dependencies (`--prod`) and once for development ones (`--dev`). Prints the count per severity
// and each high or critical advisory, and exits 1 if any is high or critical.
//
// Endpoint unavailable: some registries and mirrors do not serve the audit endpoint (the npm registry answers
// this project's CI machines with HTTP 405), and machines without network cannot reach it. pnpm then fails
// with an error rather than a report. That is told apart from "advisories found" (a JSON report): the script
// prints a LOUD warning that NO audit took place and exits 0, so that a missing endpoint does not fail every
// build. It is the only case that passes without a report; any other failure (pnpm missing, output that is
// neither a report nor a known registry error) exits 1.
//
// Usage: node scripts/audit.mjs   (pnpm on PATH; run from anywhere)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEVERITIES = ['critical', 'high', 'moderate', 'low', 'info'];
const BLOCKING = new Set(['critical', 'high']);

// What pnpm prints when the audit endpoint answered with an error status or could not be reached at all.
const UNAVAILABLE = [
  /ERR_PNPM_AUDIT_BAD_RESPONSE/,
  /ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS/,
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/,
];

/** Runs one audit; returns { report } from pnpm's JSON, { unavailable } with pnpm's words, or { error }. */
function audit(scope) {
  const { status, stdout, stderr, error } = spawnSync('pnpm', ['audit', '--json', `--${scope}`], {
    cwd: root,
    encoding: 'utf8',
    shell: process.platform === 'win32', // pnpm is a .cmd file there
  });
  if (error) return { error: `cannot run pnpm: ${error.message}` };
  const output = `${stdout}\n${stderr}`.trim();
  const report = parseReport(stdout);
  if (report) return { report };
  if (UNAVAILABLE.some((pattern) => pattern.test(output))) return { unavailable: output };
  return { error: `pnpm audit exited ${status} without a report: ${output || '(no output)'}` };
}

/** pnpm's JSON report, or undefined if `text` is not one. */
function parseReport(text) {
  try {
    const json = JSON.parse(text);
    const isReport =
      typeof json === 'object' && json !== null && ('advisories' in json || 'metadata' in json);
    return isReport ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Counts per severity, from the advisories themselves (metadata's counts, where advisories are absent). */
function summarise(report) {
  const advisories = Object.values(report.advisories ?? {});
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  if (advisories.length > 0)
    for (const a of advisories) counts[a.severity] = (counts[a.severity] ?? 0) + 1;
  else Object.assign(counts, report.metadata?.vulnerabilities ?? {});
  const blocking = advisories.filter((a) => BLOCKING.has(a.severity));
  const blockingCount = [...BLOCKING].reduce((n, s) => n + (counts[s] ?? 0), 0);
  return { counts, blocking, blockingCount };
}

let failed = false;
let unavailable = false;
for (const scope of ['prod', 'dev']) {
  const result = audit(scope);
  if (result.error) {
    console.error(`audit (${scope}): FAILED: ${result.error}`);
    failed = true;
  } else if (result.unavailable) {
    unavailable = true;
    console.error(
      [
        '',
        '!'.repeat(78),
        `!!! audit (${scope}): THE AUDIT ENDPOINT IS UNAVAILABLE: NO AUDIT TOOK PLACE.`,
        '!!! Dependencies were NOT checked for advisories. pnpm said:',
        ...result.unavailable.split('\n').map((line) => `!!!   ${line}`),
        '!'.repeat(78),
        '',
      ].join('\n'),
    );
  } else {
    const { counts, blocking, blockingCount } = summarise(result.report);
    const line = SEVERITIES.map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
    console.log(`audit (${scope}): ${line}`);
    for (const a of blocking) {
      console.log(
        `  ${a.severity}: ${a.module_name} ${a.vulnerable_versions ?? ''}: ${a.title ?? ''} ${a.url ?? ''}`,
      );
    }
    if (blockingCount > 0) failed = true;
  }
}

if (failed)
  console.error('audit: FAILED (high or critical advisories, or the audit could not run)');
else if (unavailable)
  console.error('audit: passed only because the endpoint was unavailable (see above)');
else console.log('audit: no high or critical advisories');
process.exit(failed ? 1 : 0);
