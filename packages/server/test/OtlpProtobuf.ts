/**
 * Test support: decodes OTLP protobuf export requests (`ExportTraceServiceRequest`, `ExportMetricsServiceRequest`,
 * opentelemetry-proto v1) into the OTLP/JSON shape (ids as hex, 64-bit integers as decimal strings), so that the
 * receiver's readers work on either encoding. A plain protobuf wire-format reader plus the field numbers of the
 * messages the tests look at; fields it does not know are skipped (the raw bytes are scanned for secrets separately).
 */

interface Field {
  readonly no: number
  readonly wire: number
  readonly varint: bigint
  readonly bytes: Uint8Array
}

const fieldsOf = (buf: Uint8Array): ReadonlyArray<Field> => {
  const out: Array<Field> = []
  let i = 0
  const varint = (): bigint => {
    let result = 0n
    let shift = 0n
    while (true) {
      if (i >= buf.length) throw new Error("truncated varint")
      const b = buf[i++]!
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return result
      shift += 7n
    }
  }
  const take = (n: number) => {
    if (i + n > buf.length) throw new Error("truncated field")
    const bytes = buf.subarray(i, i + n)
    i += n
    return bytes
  }
  const none = new Uint8Array(0)
  while (i < buf.length) {
    const key = Number(varint())
    const no = key >>> 3
    const wire = key & 7
    switch (wire) {
      case 0:
        out.push({ no, wire, varint: varint(), bytes: none })
        break
      case 1:
        out.push({ no, wire, varint: 0n, bytes: take(8) })
        break
      case 2:
        out.push({ no, wire, varint: 0n, bytes: take(Number(varint())) })
        break
      case 5:
        out.push({ no, wire, varint: 0n, bytes: take(4) })
        break
      default:
        throw new Error(`unsupported wire type ${wire}`)
    }
  }
  return out
}

const all = (fields: ReadonlyArray<Field>, no: number) => fields.filter((f) => f.no === no)
const one = (fields: ReadonlyArray<Field>, no: number) => fields.findLast((f) => f.no === no)
const messages = (fields: ReadonlyArray<Field>, no: number) => all(fields, no).map((f) => fieldsOf(f.bytes))
const text = (fields: ReadonlyArray<Field>, no: number) => {
  const f = one(fields, no)
  return f === undefined ? undefined : Buffer.from(f.bytes).toString("utf8")
}
const hex = (fields: ReadonlyArray<Field>, no: number) => Buffer.from(one(fields, no)?.bytes ?? []).toString("hex")
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
const fixed64 = (fields: ReadonlyArray<Field>, no: number) => {
  const f = one(fields, no)
  return f === undefined ? undefined : view(f.bytes).getBigUint64(0, true).toString()
}
const double = (fields: ReadonlyArray<Field>, no: number) => {
  const f = one(fields, no)
  return f === undefined ? undefined : view(f.bytes).getFloat64(0, true)
}
const varintNumber = (fields: ReadonlyArray<Field>, no: number) => {
  const f = one(fields, no)
  return f === undefined ? undefined : Number(BigInt.asIntN(64, f.varint))
}

const anyValue = (fields: ReadonlyArray<Field>): Record<string, unknown> => {
  const f = fields.at(-1)
  if (f === undefined) return {}
  switch (f.no) {
    case 1:
      return { stringValue: Buffer.from(f.bytes).toString("utf8") }
    case 2:
      return { boolValue: f.varint !== 0n }
    case 3:
      return { intValue: BigInt.asIntN(64, f.varint).toString() }
    case 4:
      return { doubleValue: view(f.bytes).getFloat64(0, true) }
    case 5:
      return { arrayValue: { values: messages(fieldsOf(f.bytes), 1).map(anyValue) } }
    case 6:
      return { kvlistValue: { values: messages(fieldsOf(f.bytes), 1).map(keyValue) } }
    default:
      return { bytesValue: Buffer.from(f.bytes).toString("base64") }
  }
}

const keyValue = (fields: ReadonlyArray<Field>) => ({
  key: text(fields, 1) ?? "",
  value: anyValue(fieldsOf(one(fields, 2)?.bytes ?? new Uint8Array(0)))
})

const attributes = (fields: ReadonlyArray<Field>, no: number) => messages(fields, no).map(keyValue)
const resource = (fields: ReadonlyArray<Field>) => ({ attributes: attributes(messages(fields, 1)[0] ?? [], 1) })
const scope = (fields: ReadonlyArray<Field>) => {
  const s = messages(fields, 1)[0] ?? []
  return { name: text(s, 1), version: text(s, 2) }
}

const span = (s: ReadonlyArray<Field>) => {
  const status = messages(s, 15)[0] ?? []
  return {
    traceId: hex(s, 1),
    spanId: hex(s, 2),
    parentSpanId: hex(s, 4),
    name: text(s, 5),
    kind: varintNumber(s, 6) ?? 0,
    startTimeUnixNano: fixed64(s, 7),
    endTimeUnixNano: fixed64(s, 8),
    attributes: attributes(s, 9),
    events: messages(s, 11).map((e) => ({ name: text(e, 2), attributes: attributes(e, 3) })),
    status: { code: varintNumber(status, 3) ?? 0, message: text(status, 2) }
  }
}

/** `ExportTraceServiceRequest` bytes as OTLP/JSON. */
export const traces = (bytes: Uint8Array) => ({
  resourceSpans: messages(fieldsOf(bytes), 1).map((rs) => ({
    resource: resource(rs),
    scopeSpans: messages(rs, 2).map((ss) => ({ scope: scope(ss), spans: messages(ss, 2).map(span) }))
  }))
})

const numberPoint = (p: ReadonlyArray<Field>) => {
  const asInt = one(p, 6)
  return {
    attributes: attributes(p, 7),
    timeUnixNano: fixed64(p, 3),
    ...(asInt === undefined ? { asDouble: double(p, 4) } : { asInt: view(asInt.bytes).getBigInt64(0, true).toString() })
  }
}

const histogramPoint = (p: ReadonlyArray<Field>) => ({
  attributes: attributes(p, 9),
  timeUnixNano: fixed64(p, 3),
  count: fixed64(p, 4),
  sum: double(p, 5)
})

const metric = (m: ReadonlyArray<Field>) => {
  const base = { name: text(m, 1), description: text(m, 2), unit: text(m, 3) }
  const gauge = messages(m, 5)[0]
  if (gauge !== undefined) return { ...base, gauge: { dataPoints: messages(gauge, 1).map(numberPoint) } }
  const sum = messages(m, 7)[0]
  if (sum !== undefined) {
    return {
      ...base,
      sum: {
        dataPoints: messages(sum, 1).map(numberPoint),
        aggregationTemporality: varintNumber(sum, 2),
        isMonotonic: (one(sum, 3)?.varint ?? 0n) !== 0n
      }
    }
  }
  const histogram = messages(m, 9)[0]
  if (histogram !== undefined) return { ...base, histogram: { dataPoints: messages(histogram, 1).map(histogramPoint) } }
  return base
}

/** `ExportMetricsServiceRequest` bytes as OTLP/JSON (gauges, sums and histograms). */
export const metrics = (bytes: Uint8Array) => ({
  resourceMetrics: messages(fieldsOf(bytes), 1).map((rm) => ({
    resource: resource(rm),
    scopeMetrics: messages(rm, 2).map((sm) => ({ scope: scope(sm), metrics: messages(sm, 2).map(metric) }))
  }))
})
