/** Domain errors: one `app.onError` maps each to `{ error: { code, message, details? } }` with its status. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} not found`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super(403, 'FORBIDDEN', message);
  }
}

export interface RowProblem {
  row: number;
  column: number | null;
  columnName: string | null;
  value: string | null;
  message: string;
}

/** A file that cannot be imported; nothing from it was written. */
export class ImportRejectedError extends AppError {
  constructor(code: string, message: string, details: RowProblem[] = [], status: 413 | 415 | 422 = 422) {
    super(status, code, message, details);
  }
  get problems(): RowProblem[] {
    return this.details as RowProblem[];
  }
}
