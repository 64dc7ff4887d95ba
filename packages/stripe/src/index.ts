/** @checkout-kit/stripe */
export {}
