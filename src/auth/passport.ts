/** Passport: the local strategy checks credentials through the members service; sessions hold the member id only. */
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError } from '../core/errors';
import { inputOf } from '../core/validate';
import { cacheActor, cachedActor } from '../members/members.service';
import { actorById, signIn } from '../members/members.service';
import { SignInSchema } from '../members/members.schemas';

export interface SignInFailure {
  message: string;
  status: number;
}

passport.use(
  new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, _email, _password, done) => {
    // validateForm already normalised the input.
    const input = inputOf(req, SignInSchema);
    signIn(input.email, input.password, req.ip ?? 'unknown').then(
      (actor) => done(null, actor),
      (err: unknown) => {
        if (err instanceof AppError && [401, 403, 429].includes(err.status)) {
          return done(null, false, { message: err.message, status: err.status } as SignInFailure);
        }
        done(err);
      },
    );
  }),
);

passport.serializeUser<string>((user, done) => done(null, user.id));

passport.deserializeUser<string>((id, done) => {
  const hit = cachedActor(id);
  if (hit) return done(null, hit.actor ?? false);
  actorById(id).then((actor) => {
    cacheActor(id, actor);
    done(null, actor ?? false);
  }, done);
});

export { passport };
