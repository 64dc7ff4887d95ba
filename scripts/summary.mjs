/**
 * The summary of a vitest run, as printed last by scripts/test.sh: `vitest: N passed, N failed[, N skipped]`.
 * Reads vitest's JSON report and vitest's exit status, and counts as failures not only failed tests but everything
 * that can fail a run outside a test, so that the line can never say "0 failed" about a red run:
 *   - each test file that failed without a failed test in it (it failed to load, a suite hook threw, or its worker
 *     died before it finished), named on its own line above the summary;
 *   - a failed run that none of the above explains (vitest exited non-zero, e.g. on an unhandled error, which the
 *     JSON report does not record; vitest's own output above names it), counted as one failure;
 *   - a missing or unreadable report (vitest did not get as far as writing it), counted as one failure.
 * Usage: node scripts/summary.mjs <report.json> <vitest exit status>. Exits 1 when anything failed, else 0.
 */
import { readFileSync } from "node:fs"
import { pathToFileURL } from "node:url"

/** @returns {{ lines: Array<string>, failed: number }} */
export const summarize = (reportText, vitestStatus) => {
  let report
  try {
    report = JSON.parse(reportText)
  } catch (error) {
    return {
      lines: [`vitest: no readable JSON report (${error instanceof Error ? error.message : String(error)}); exit status ${vitestStatus}`,
        "vitest: 0 passed, 1 failed"],
      failed: 1
    }
  }
  const lines = []
  const files = Array.isArray(report.testResults) ? report.testResults : []
  let failed = Number(report.numFailedTests ?? 0)
  for (const file of files) {
    const hasFailedTest = (file.assertionResults ?? []).some((test) => test.status === "failed")
    if (file.status !== "passed" && !hasFailedTest) {
      failed += 1
      const why = typeof file.message === "string" && file.message !== "" ? file.message.split("\n")[0] : "failed outside a test"
      lines.push(`vitest: file failed: ${file.name}: ${why}`)
    }
  }
  const runFailed = vitestStatus !== 0 || report.success === false || Number(report.numFailedTestSuites ?? 0) > 0
  if (failed === 0 && runFailed) {
    failed = 1
    lines.push(`vitest: the run failed outside any test (exit status ${vitestStatus}; see "Unhandled Errors" or the error above)`)
  }
  const skipped = Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0)
  lines.push(`vitest: ${Number(report.numPassedTests ?? 0)} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ""))
  return { lines, failed }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [reportPath, statusText] = process.argv.slice(2)
  const status = Number.parseInt(statusText ?? "", 10)
  let reportText = ""
  try {
    reportText = readFileSync(reportPath ?? "", "utf8")
  } catch {
    // summarize reports the missing file as a failure
  }
  const { lines, failed } = summarize(reportText, Number.isNaN(status) ? 1 : status)
  for (const line of lines) console.log(line)
  process.exit(failed > 0 ? 1 : 0)
}
