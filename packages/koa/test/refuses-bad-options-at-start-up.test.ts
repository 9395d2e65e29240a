import { demoCredentials } from '@ttpay/testing';
import { describe, expect, it } from 'vitest';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '../src/index.js';

const { douyin } = demoCredentials;

describe('bad options throw when the middleware is made, not on the first delivery', () => {
  it('names what is wrong', () => {
    expect(() => douyinCallbacks({ onEvent: () => {} })).toThrow(/token.*platformPublicKey/);
    expect(() => douyinCallbacks({ token: '', onEvent: () => {} })).toThrow(/token/);
    expect(() => douyinCallbacks({ token: douyin.token })).toThrow(
      /douyinCallbacks\(\) needs at least one handler/,
    );
    expect(() => douyinCallbacks({ platformPublicKey: 'not a key', onEvent: () => {} })).toThrow(
      /could not be parsed/,
    );
    expect(() => tikTokWebhooks({ appKey: '', appSecret: 's', onEvent: () => {} })).toThrow(/appKey/);
    expect(() => tikTokWebhooks({ appKey: 'k', appSecret: [], onEvent: () => {} })).toThrow(/appSecret/);
    expect(() => tikTokWebhooks({ appKey: 'k', appSecret: 's', on: {} })).toThrow(/at least one handler/);
    expect(() => algoVoiWebhooks({ secret: '', onEvent: () => {} })).toThrow(/secret/);
    expect(() => douyinCallbacks({ token: 't', limit: 0, onEvent: () => {} })).toThrow(/limit/);
    expect(() => douyinCallbacks({ token: 't', toleranceSeconds: -1, onEvent: () => {} })).toThrow(
      /toleranceSeconds/,
    );
    expect(() => douyinCallbacks({ token: 't', path: 'notify', onEvent: () => {} })).toThrow(/path/);
  });
});
