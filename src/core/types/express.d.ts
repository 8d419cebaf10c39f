import type { Actor } from '../policy';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
    interface Request {
      /** The result of validate()/validateForm(), typed by the handler. */
      input: unknown;
      requestId: string;
      user?: User;
    }
  }
}

export {};
