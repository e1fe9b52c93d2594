/** Raised when a calculator receives input it cannot interpret (bad date, non-finite amount, duplicate date, …). */
export class AnalyticsInputError extends Error {
  override readonly name = 'AnalyticsInputError';
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
