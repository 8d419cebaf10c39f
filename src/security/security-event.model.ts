/**
 * Security log, kept apart from business data for 12 months: sign-ins,
 * failures, password changes, role and status changes. IPs are keyed hashes.
 */
import { model, Schema } from 'mongoose';

export const SECURITY_EVENT_TYPES = [
  'signin_success',
  'signin_failure',
  'signin_rate_limited',
  'signout',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'email_verified',
  'role_changed',
  'status_changed',
  'account_deleted',
  'csrf_rejected',
  'usage_cap_reached',
  'my_contacts_exported',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

const securityEventSchema = new Schema(
  {
    type: { type: String, required: true, enum: SECURITY_EVENT_TYPES },
    memberId: { type: Schema.Types.ObjectId },
    actorId: { type: Schema.Types.ObjectId },
    ipHash: { type: String },
    detail: { type: String, maxlength: 200 },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'security_events', versionKey: false },
);
securityEventSchema.index({ memberId: 1 });

export const SecurityEvent = model('SecurityEvent', securityEventSchema);
