import type { Actor } from '../policy';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
    interface Request {
      requestId: string;
      user?: User;
    }
  }
}

export {};
