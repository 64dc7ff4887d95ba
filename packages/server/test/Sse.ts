/** Reads a server-sent events body as it arrives, for the stream tests. */
export const openStream = async (url: string) => {
  const controller = new AbortController()
  const res = await fetch(url, { signal: controller.signal })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ""
  /** The next `data:` message, parsed (comment lines are skipped); rejects when the stream ends. */
  const next = async (): Promise<Record<string, any>> => {
    while (true) {
      const end = buffer.indexOf("\n\n")
      if (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = block.split("\n").find((line) => line.startsWith("data: "))
        if (data !== undefined) return JSON.parse(data.slice(6))
        continue
      }
      const chunk = await reader.read()
      if (chunk.done) throw new Error("stream ended")
      buffer += chunk.value
    }
  }
  return { res, next, close: () => controller.abort() }
}

/**
 * Reads messages until one carries `status`; returns it and the statuses seen before it. A change that keeps the
 * status (e.g. a payment attempt recorded before the processor call) is also sent, as the reference does.
 */
export const untilStatus = async (next: () => Promise<Record<string, any>>, status: string) => {
  const before: Array<string> = []
  while (true) {
    const message = await next()
    if (message["payload"]?.status === status) return { message, before }
    before.push(String(message["payload"]?.status))
  }
}
