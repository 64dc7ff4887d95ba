/** @checkout-kit/domain */
export {}
