// Serves examples/embed.html on another origin (http://localhost:8001 by default) so the checkout server's embed
// script and page can be tried in a browser:
//   ./scripts/start.sh                                   # prints a checkout link
//   node packages/checkout-page/examples/serve-embed-example.mjs <checkout link or checkout url> [port]
// The server's origin is taken from the URL given.
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const [checkoutUrl, port = "8001"] = process.argv.slice(2)
if (checkoutUrl === undefined) {
  console.error("usage: node serve-embed-example.mjs <checkout link URL or checkout URL> [port]")
  process.exit(1)
}
const server = new URL(checkoutUrl).origin
const page = readFileSync(new URL("./embed.html", import.meta.url), "utf8")
  .replaceAll("__SERVER__", server)
  .replaceAll("__CHECKOUT__", checkoutUrl)
createServer((req, res) => {
  if (req.url !== "/" && req.url !== "/index.html") return void res.writeHead(404).end("not found")
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page)
}).listen(Number(port), "127.0.0.1", () => console.log(`example shop at http://localhost:${port}/ (checkout server ${server})`))
