// Every error class ttpay throws, by the type of its `code`: test/error-codes-table.test.ts reads these
// unions with the compiler and checks each member has a row in the root README's "Error codes" table.
// A new class that extends TtpayError must be added here (that test also finds every `extends TtpayError`).

import type { TtpayApiError, TtpayClientError } from '@ttpay/client';
import type { TtpayError } from '@ttpay/core';
import type { DeliveryError } from '@ttpay/core/delivery';
import type { SimulatorError } from '@ttpay/simulator';
import type { PostgresStoreError } from '@ttpay/store-postgres';
import type { RedisStoreError } from '@ttpay/store-redis';
import type { UsageError } from '../../packages/simulator/src/cli/io.js';

export interface ErrorCodes {
  TtpayError: TtpayError['code'];
  DeliveryError: DeliveryError['code'];
  TtpayClientError: TtpayClientError['code'];
  TtpayApiError: TtpayApiError['code'];
  RedisStoreError: RedisStoreError['code'];
  PostgresStoreError: PostgresStoreError['code'];
  SimulatorError: SimulatorError['code'];
  UsageError: UsageError['code'];
}
