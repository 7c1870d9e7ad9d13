/** A problem the developer can fix, told in one line (no stack trace). */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}
