import { describeRequest, type RequestSummary, TtpayClientError } from './client-error.js';

export interface TtpayApiErrorDetails {
  request: RequestSummary;
  status: number;
  attempts?: number;
  /** `err_no` (Douyin), `code` (TikTok Shop), `error_code` (client token). */
  platformCode: number | string;
  /** `err_tips` / `err_msg` / `message` / `description`, as the platform wrote it. */
  platformMessage: string;
  /** TikTok's `request_id` or Douyin's `log_id`: quote it in a support ticket. */
  requestId?: string;
}

/** The platform understood the request and refused it (`err_no != 0`, TikTok `code != 0`). */
export class TtpayApiError extends TtpayClientError {
  override readonly name: string = 'TtpayApiError';
  readonly platformCode: number | string;
  readonly platformMessage: string;
  readonly requestId: string | undefined;

  constructor(details: TtpayApiErrorDetails) {
    super(
      'PLATFORM_ERROR',
      `${describeRequest(details.request)} failed with platform code ${details.platformCode}` +
        (details.platformMessage ? `: ${details.platformMessage}` : '') +
        (details.requestId ? ` (request id ${details.requestId})` : ''),
      details,
    );
    this.platformCode = details.platformCode;
    this.platformMessage = details.platformMessage;
    this.requestId = details.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      platformCode: this.platformCode,
      platformMessage: this.platformMessage,
      requestId: this.requestId,
    };
  }
}

export const isTtpayApiError = (value: unknown): value is TtpayApiError => value instanceof TtpayApiError;
