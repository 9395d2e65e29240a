// TypeScript in CommonJS mode (`module: nodenext`): `import x = require(…)` of the ESM packages compiles
// and is typed (TypeScript 5.8+ follows Node's require of ES modules).
import client = require('@ttpay/client');
import core = require('@ttpay/core');
import koa = require('@ttpay/koa');
import simulator = require('@ttpay/simulator');
import testing = require('@ttpay/testing');

const verify: typeof core.verifyEcpayCallback = core.verifyEcpayCallback;
const middleware: typeof koa.douyinCallbacks = koa.douyinCallbacks;
const start: typeof simulator.startSimulator = simulator.startSimulator;
const token: string = testing.demoCredentials.douyin.token;
const clientError: typeof client.TtpayClientError = client.TtpayClientError;
export = { verify, middleware, start, token, clientError };
