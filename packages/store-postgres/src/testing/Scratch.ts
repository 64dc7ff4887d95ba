/**
 * Where tests keep the data of embedded PostgreSQL servers of their own: `<repo>/.data/<name>` (git-ignored), or,
 * when the OS user `postgres` cannot enter that path (a clone under a mode-700 home, run as root), a directory
 * under the system's temporary folder named after the clone. Test data is disposable; where the repository was
 * cloned must not decide whether the tests pass.
 */
import { createHash } from "node:crypto"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Embedded from "../Embedded.ts"

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url))

/** `<repo>/.data/<name>` when PostgreSQL can reach it, else `<tmp>/checkout-kit-<clone hash>/<name>`. */
export const scratchDir = (name: string): string => {
  const local = join(repoRoot, ".data", name)
  if (Embedded.canReach(local)) return local
  return join(tmpdir(), `checkout-kit-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 12)}`, name)
}
