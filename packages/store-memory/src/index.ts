/** @checkout-kit/store-memory */
export {}
