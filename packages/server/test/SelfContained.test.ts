/**
 * The repository is self-contained: no source, test, script or config file refers to a path above the repository
 * root (a user's clone has nothing beside it). Scans the whole tree except installed or generated directories.
 */
import { assert, describe, it } from "@effect/vitest"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, sep } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url))

const skippedDirectories = new Set(["node_modules", "dist", ".tools", ".git", ".bench", "coverage"])
/** pnpm's lockfile is generated, and its `link:../x` entries are relative to each importer's directory, not to the
 * lockfile; the package.json files it is generated from are scanned. */
const skippedFiles = new Set(["pnpm-lock.yaml"])
/** Source, test, script and config files; files without an extension count when they live in scripts/ or .ci/. */
const scannedExtension = /\.(?:[cm]?[jt]s|tsx|json|sh|ya?ml|toml)$/u
const extensionlessDirectories = new Set(["scripts", ".ci"])

/** Absolute paths of this machine or a developer's home, and the sibling reference directory. Built from pieces so
 * that this file does not match itself. */
const forbidden: ReadonlyArray<RegExp> = [
  new RegExp(["/", "work", "/"].join(""), "u"),
  new RegExp(["/", "home", "/"].join(""), "u"),
  new RegExp(["/", "Users", "/"].join(""), "u"),
  new RegExp(["\\.\\./", "shared"].join(""), "u")
]

/** A run of `..` segments, e.g. `../../..` or `../../x`. */
const parentRun = /(?<![\w.])\.\.(?:\/\.\.)*(?=\/|["'`\s)]|$)/gmu

interface Finding {
  readonly file: string
  readonly line: number
  readonly text: string
}

const listFiles = (root: string): Array<string> => {
  const files: Array<string> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skippedDirectories.has(entry.name) || skippedFiles.has(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const rel = relative(root, path).split(sep)
        if (scannedExtension.test(entry.name) || (!entry.name.includes(".") && extensionlessDirectories.has(rel[0]!))) {
          files.push(path)
        }
      }
    }
  }
  walk(root)
  return files
}

/** Every line of a scanned file that names a forbidden path or climbs with `..` above the repository root. */
const scan = (root: string): Array<Finding> => {
  const findings: Array<Finding> = []
  for (const file of listFiles(root)) {
    const rel = relative(root, file)
    const depth = rel.split(sep).length - 1
    readFileSync(file, "utf8").split("\n").forEach((text, index) => {
      const climbs = [...text.matchAll(parentRun)].some((match) => match[0].split("/").length > depth)
      if (climbs || forbidden.some((pattern) => pattern.test(text))) {
        findings.push({ file: rel, line: index + 1, text: text.trim() })
      }
    })
  }
  return findings
}

describe("self-contained repository", () => {
  it("no source, test, script or config file refers to a path above the repository root", () => {
    const scanned = listFiles(repoRoot).map((file) => relative(repoRoot, file))
    // The scan really covers the places the issue names (and so cannot pass by scanning nothing).
    for (const expected of ["scripts/test.sh", ".ci/run", "vitest.config.ts", "vitest.workspace.ts", "package.json"]) {
      assert.include(scanned, expected)
    }
    assert.isTrue(scanned.some((file) => file.startsWith(join("packages", "http-api", "test"))))
    assert.deepStrictEqual(scan(repoRoot), [])
  })

  it("the scanner flags each kind of escape and accepts paths that stay inside", () => {
    const root = mkdtempSync(join(tmpdir(), "self-contained-"))
    try {
      mkdirSync(join(root, "packages", "p", "test"), { recursive: true })
      mkdirSync(join(root, ".ci"))
      mkdirSync(join(root, "node_modules", "x"), { recursive: true })
      const write = (path: string, text: string) => writeFileSync(join(root, path), text)
      // The fixtures' paths are built with `up` so that this file's own text stays clean for the scan above.
      const up = (n: number) => Array.from({ length: n }, () => "..").join("/")
      write("packages/p/test/inside.test.ts", `new URL("${up(3)}/package.json", import.meta.url)\nconst a = "${up(1)}/x"\n`)
      write("packages/p/test/climb.test.ts", `const ok = 1\nnew URL("${up(4)}/shared/spec/x.json", import.meta.url)\n`)
      write("packages/p/test/up.test.ts", `const root = new URL("${up(4)}", import.meta.url)\n`)
      write("packages/p/config.json", `{ "data": "${["", "work", "main", "x"].join("/")}" }\n`)
      write(".ci/run", `#!/bin/sh\ncd ${up(2)}/sibling-repo\ncd ${up(1)}\n`)
      write("README.md", `see ${up(2)}/elsewhere\n`)
      write("node_modules/x/index.js", `require("${up(4)}/outside")\n`)
      assert.isTrue(statSync(join(root, ".ci", "run")).isFile())
      assert.deepStrictEqual(
        scan(root).map((finding) => `${finding.file}:${finding.line}`).sort(),
        [
          join(".ci", "run") + ":2",
          join("packages", "p", "config.json") + ":1",
          join("packages", "p", "test", "climb.test.ts") + ":2",
          join("packages", "p", "test", "up.test.ts") + ":1"
        ].sort()
      )
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
