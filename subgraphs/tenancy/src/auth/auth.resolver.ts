import { Public, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import type { TenancyContext } from '../context';
import {
  ConfirmMfaEnrollmentInput,
  LoginInput,
  LoginPayload,
  LogoutInput,
  LogoutPayload,
  MfaEnrollmentPayload,
  RefreshSessionInput,
  StartMfaEnrollmentInput,
  VerifyMfaInput,
} from './auth.type';
import { login, logout, refreshSession } from './auth.service';
import { confirmMfaEnrollment, startMfaEnrollment, verifyMfa, type MfaSubject } from './mfa.service';
import { EMPTY_LOGIN_PAYLOAD, type AuthDeps } from './session';

function depsOf(context: TenancyContext): AuthDeps {
  return { database: context.database, settings: context.settings, requestId: context.requestId };
}

/** The bearer of a login mfaToken, or else the logged-in caller (UNAUTHENTICATED without either). */
function mfaSubjectOf(context: TenancyContext, mfaToken: string | undefined | null): MfaSubject {
  return mfaToken ? { mfaToken } : { identity: callerOf(context).identity };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, {
    description:
      'Logs in with email and password. Returns a session, or mfaRequired / mfaEnrollmentRequired with an mfaToken. ' +
      'A wrong email or password is UNAUTHENTICATED; 10 failures in a row lock the account for 15 minutes.',
  })
  @Public()
  async login(
    @Arg('input', () => LoginInput) input: LoginInput,
    @Ctx() context: TenancyContext,
  ): Promise<LoginPayload> {
    return withUserErrors<Omit<LoginPayload, 'userErrors'>>(() => login(depsOf(context), input), EMPTY_LOGIN_PAYLOAD);
  }

  @Mutation(() => LoginPayload, { description: 'Second login step: the TOTP code for the mfaToken returned by login.' })
  @Public()
  async verifyMfa(
    @Arg('input', () => VerifyMfaInput) input: VerifyMfaInput,
    @Ctx() context: TenancyContext,
  ): Promise<LoginPayload> {
    return withUserErrors<Omit<LoginPayload, 'userErrors'>>(
      () => verifyMfa(depsOf(context), input),
      EMPTY_LOGIN_PAYLOAD,
    );
  }

  @Mutation(() => MfaEnrollmentPayload, {
    description:
      'Creates a TOTP secret to add to an authenticator app. Called with the enrolment mfaToken from login, ' +
      'or by a logged-in user (access token) who opts in.',
  })
  @Public()
  async startMfaEnrollment(
    @Arg('input', () => StartMfaEnrollmentInput, { nullable: true }) input: StartMfaEnrollmentInput | null,
    @Ctx() context: TenancyContext,
  ): Promise<MfaEnrollmentPayload> {
    const subject = mfaSubjectOf(context, input?.mfaToken);
    return withUserErrors<Omit<MfaEnrollmentPayload, 'userErrors'>>(
      () => startMfaEnrollment(depsOf(context), subject),
      {
        secret: null,
        otpauthUri: null,
      },
    );
  }

  @Mutation(() => LoginPayload, {
    description: 'Activates MFA with a code for the new secret and returns a session.',
  })
  @Public()
  async confirmMfaEnrollment(
    @Arg('input', () => ConfirmMfaEnrollmentInput) input: ConfirmMfaEnrollmentInput,
    @Ctx() context: TenancyContext,
  ): Promise<LoginPayload> {
    const subject = mfaSubjectOf(context, input.mfaToken);
    return withUserErrors<Omit<LoginPayload, 'userErrors'>>(
      () => confirmMfaEnrollment(depsOf(context), subject, input),
      EMPTY_LOGIN_PAYLOAD,
    );
  }

  @Mutation(() => LoginPayload, {
    description:
      'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works once: ' +
      'presenting a used one ends every session opened from the same login.',
  })
  @Public()
  async refreshSession(
    @Arg('input', () => RefreshSessionInput) input: RefreshSessionInput,
    @Ctx() context: TenancyContext,
  ): Promise<LoginPayload> {
    return withUserErrors<Omit<LoginPayload, 'userErrors'>>(
      () => refreshSession(depsOf(context), input),
      EMPTY_LOGIN_PAYLOAD,
    );
  }

  @Mutation(() => LogoutPayload, { description: 'Ends the session of this refresh token (and its rotations).' })
  @Public()
  async logout(
    @Arg('input', () => LogoutInput) input: LogoutInput,
    @Ctx() context: TenancyContext,
  ): Promise<LogoutPayload> {
    return withUserErrors<Omit<LogoutPayload, 'userErrors'>>(() => logout(depsOf(context), input), {
      loggedOut: false,
    });
  }
}
