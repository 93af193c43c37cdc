import type { ServerContext } from '../context.ts';
import { defineRoute } from '../http/route.ts';
import { changePasswordSchema, enrolSchema } from './schemas.ts';
import { changeMasterPassword, enrolAccountKeys, fetchAccountKeys } from './store.ts';

export function keyRoutes({ db, audit, now }: ServerContext) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/account/keys',
      auth: 'session',
      handler: ({ session }) => fetchAccountKeys(db, session.userId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/account/keys',
      auth: 'session',
      status: 201,
      body: enrolSchema,
      handler: ({ session, body, ip }) =>
        db.transaction(async (tx) => {
          const result = await enrolAccountKeys(tx, session.userId, body, now());
          await audit.record(tx, {
            type: 'account_keys_enrolled',
            outcome: 'success',
            ip,
            userId: session.userId,
          });
          return result;
        }),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/account/keys/password',
      auth: 'session',
      body: changePasswordSchema,
      handler: ({ session, body, ip }) =>
        db.transaction(async (tx) => {
          const result = await changeMasterPassword(tx, session.userId, body, now());
          await audit.record(tx, {
            type: 'master_password_changed',
            outcome: 'success',
            ip,
            userId: session.userId,
          });
          return result;
        }),
    }),
  ];
}
