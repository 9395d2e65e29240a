/**
 * `@ttpay/testing`: signed fixtures — `signedEcpayCallback`, `signedTradeCallback`, `signedTikTokWebhook`,
 * `signedAlgoVoiWebhook`, each a `SignedDelivery` — their broken variants, and the published demo
 * credentials. The store conformance kit is `@ttpay/testing/store-conformance`.
 */

export { DEMO_DOUYIN_APP_SECRET, demoCredentials } from './demo-credentials.js';
export * from './deprecated.js';
export * from './fixtures/index.js';
