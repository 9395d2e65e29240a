export { type DemoCredentials, demoCredentials } from './demo-credentials.js';
export * from './fixtures/index.js';
