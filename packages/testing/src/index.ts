export { DEMO_DOUYIN_APP_SECRET, type DemoCredentials, demoCredentials } from './demo-credentials.js';
export * from './fixtures/index.js';
