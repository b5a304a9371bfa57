import { UserError } from '@ciro/subgraph-common';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Viewer } from '../users/user.type';

@InputType()
export class LoginInput {
  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Client to act in; required only for users with roles in several clients.',
  })
  clientId?: string;
}

@ObjectType({
  description:
    'Result of a login step: either a session (access and refresh tokens) or the MFA step still needed, with an mfaToken for it.',
})
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Bearer token for the API, valid 15 minutes.' })
  accessToken!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Single-use token for refreshSession; each refresh returns a new one. Keep it secret.',
  })
  refreshToken!: string | null;

  @Field(() => Date, { nullable: true })
  accessTokenExpiresAt!: Date | null;

  @Field({ description: 'True when the user must send a TOTP code to verifyMfa with mfaToken.' })
  mfaRequired!: boolean;

  @Field({
    description:
      'True when an administrator must first enrol an authenticator (startMfaEnrollment, confirmMfaEnrollment).',
  })
  mfaEnrollmentRequired!: boolean;

  @Field(() => String, { nullable: true, description: 'Short-lived (5 minutes) token for the MFA step.' })
  mfaToken!: string | null;

  @Field(() => Viewer, { nullable: true, description: 'Who the session is for; null until MFA is done.' })
  viewer!: Viewer | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class VerifyMfaInput {
  @Field({ description: 'The mfaToken returned by login.' })
  mfaToken!: string;

  @Field({ description: 'The 6-digit code shown by the authenticator app.' })
  code!: string;
}

@InputType()
export class StartMfaEnrollmentInput {
  @Field({ nullable: true, description: 'The mfaToken returned by login; omit when calling with an access token.' })
  mfaToken?: string;
}

@ObjectType({ description: 'A new TOTP secret to add to an authenticator app, then confirm with a code.' })
export class MfaEnrollmentPayload {
  @Field(() => String, { nullable: true, description: 'Base32 secret, for manual entry.' })
  secret!: string | null;

  @Field(() => String, { nullable: true, description: 'otpauth:// URI to show as a QR code.' })
  otpauthUri!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ConfirmMfaEnrollmentInput {
  @Field({ nullable: true, description: 'The mfaToken returned by login; omit when calling with an access token.' })
  mfaToken?: string;

  @Field({ description: 'The 6-digit code shown by the authenticator app for the new secret.' })
  code!: string;
}

@InputType()
export class RefreshSessionInput {
  @Field()
  refreshToken!: string;
}

@InputType()
export class LogoutInput {
  @Field({ description: 'The refresh token of the session to end.' })
  refreshToken!: string;
}

@ObjectType()
export class LogoutPayload {
  @Field({ description: 'True when a session was found and ended.' })
  loggedOut!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
