export class LimitExceededError extends Error {
  constructor(readonly limit: string, message: string) {
    super(message);
    this.name = 'LimitExceededError';
  }
}

export class ScanTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`time budget of ${limitMs} ms per file exceeded`);
    this.name = 'ScanTimeoutError';
  }
}
