/** @checkout-kit/http-api */
export {}
