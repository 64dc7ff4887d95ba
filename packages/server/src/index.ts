/** @checkout-kit/server */
export {}
