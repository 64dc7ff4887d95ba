/**
 * Customers and their tax ids: `POST/GET /v1/customers[/:id]`, `POST /v1/customers/:id/tax_ids`.
 */
import { type Store, newId, nowSeconds } from "./State.ts"
import type { TaxId, Customer } from "./Objects.ts"
import { type Reply, type Ctx, byId, invalid, ok, str, obj, strings, toAddress, toMetadata } from "./Reply.ts"

export const validTaxIdValue = (value: string) => /^[A-Za-z0-9][A-Za-z0-9 .-]*$/u.test(value) && !/invalid/iu.test(value)

/** The customer handlers, over one fake's state. */
export const make = (store: Store) => {
  const { customers, taxIds, expansions, renderCustomer } = store

  const addTaxId = (customerId: string, type: string, value: string): TaxId => {
    const taxId: TaxId = {
      id: newId("txi"),
      object: "tax_id",
      type,
      value,
      customer: customerId,
      country: type === "eu_vat" ? value.slice(0, 2).toUpperCase() : null,
      created: nowSeconds(),
      livemode: false
    }
    taxIds.set(customerId, [...(taxIds.get(customerId) ?? []), taxId])
    return taxId
  }

  const createCustomer = ({ params }: Ctx): Reply => {
    const data = Array.isArray(params.tax_id_data) ? params.tax_id_data : []
    for (let i = 0; i < data.length; i++) {
      const entry = obj(data[i])
      const type = str(entry?.type) ?? ""
      const value = str(entry?.value) ?? ""
      if (!validTaxIdValue(value)) {
        return invalid(`Invalid value for ${type}.`, { code: "tax_id_invalid", param: `tax_id_data[${i}][value]` })
      }
    }
    const customer: Customer = {
      id: newId("cus"),
      object: "customer",
      email: str(params.email),
      name: str(params.name),
      phone: str(params.phone),
      description: str(params.description),
      address: toAddress(params.address),
      metadata: toMetadata(params.metadata),
      preferred_locales: strings(params.preferred_locales),
      created: nowSeconds(),
      livemode: false
    }
    customers.set(customer.id, customer)
    for (const entry of data) {
      const e = obj(entry)
      addTaxId(customer.id, str(e?.type) ?? "", str(e?.value) ?? "")
    }
    return ok(renderCustomer(customer, expansions(params)))
  }

  const retrieveCustomer = byId(customers, "customer", (customer, { params }) => ok(renderCustomer(customer, expansions(params))))

  const updateCustomer = byId(customers, "customer", (customer, { params }) => {
    if ("email" in params) customer.email = str(params.email)
    if ("name" in params) customer.name = str(params.name)
    if ("phone" in params) customer.phone = str(params.phone)
    if ("description" in params) customer.description = str(params.description)
    if ("address" in params) customer.address = toAddress(params.address)
    if ("metadata" in params) customer.metadata = toMetadata(params.metadata, customer.metadata)
    if ("preferred_locales" in params) customer.preferred_locales = strings(params.preferred_locales)
    return ok(renderCustomer(customer, expansions(params)))
  })

  const createCustomerTaxId = byId(customers, "customer", (customer, { params }) => {
    const type = str(params.type)!
    const value = str(params.value)!
    if (!validTaxIdValue(value)) return invalid(`Invalid value for ${type}.`, { code: "tax_id_invalid", param: "value" })
    const duplicate = (taxIds.get(customer.id) ?? []).some((t) => t.type === type && t.value === value)
    if (duplicate) {
      return invalid("Tax ID already exists for this customer.", { code: "resource_already_exists", param: "value" })
    }
    return ok(addTaxId(customer.id, type, value))
  })

  return { createCustomer, retrieveCustomer, updateCustomer, createCustomerTaxId }
}
