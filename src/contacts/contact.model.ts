/**
 * A named agent or a service line inside an agency. Never holds anything about
 * the people helped: free text is screened before it reaches this model.
 */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';
import { addToSets } from '../core/lookup';
import { markForSearch } from '../search/search-outbox';

import { CONTACT_STATES, IN_REVIEW_STATES } from './contact-states';

export { CONTACT_STATES, type ContactState, IN_REVIEW_STATES, VISIBLE_STATES } from './contact-states';
export const CONTACT_KINDS = ['agent', 'service_line'] as const;
export const PHONE_KINDS = ['direct', 'mobile', 'switchboard', 'service'] as const;
/** How the listed agent knows about a card without an e-mail address: they agreed, or the author passes the information on. */
export const AGENT_INFORMED = ['consent', 'will_inform'] as const;
export type AgentInformed = (typeof AGENT_INFORMED)[number];
export type PhoneKind = (typeof PHONE_KINDS)[number];

const phoneSchema = new Schema(
  {
    e164: { type: String, required: true, maxlength: 20 },
    kind: { type: String, required: true, enum: PHONE_KINDS },
    extension: { type: String, maxlength: 10, match: /^\d{1,10}$/ },
    /** libphonenumber type (fixed, mobile, shared_cost…), for warnings and display. */
    numberType: { type: String, maxlength: 20 },
  },
  { _id: false },
);

const verificationSchema = new Schema({ at: { type: Date, required: true }, by: { type: Schema.Types.ObjectId }, method: { type: String } }, { _id: false });

const contactSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true, enum: CONTACT_KINDS },
    agentFirstName: { type: String, trim: true, maxlength: 60 },
    agentLastName: { type: String, trim: true, maxlength: 60 },
    /** Lower-case, accent-free "first last" for the same-agent duplicate check. */
    agentKey: { type: String, maxlength: 130 },
    function: { type: String, trim: true, maxlength: 120 },
    service: { type: String, trim: true, maxlength: 120 },
    phones: { type: [phoneSchema], default: [] },
    /** E.164 numbers of `phones`, flat, for the duplicate check. */
    phoneKeys: { type: [String], default: [] },
    email: { type: String, trim: true, lowercase: true, maxlength: 254 },
    hours: { type: String, trim: true, maxlength: 300 },
    tips: { type: String, trim: true, maxlength: 1000 },
    topics: { type: [String], default: [] },
    account: { type: String, trim: true, maxlength: 1000 },
    departement: { type: String, required: true, maxlength: 3 },
    region: { type: String, required: true, maxlength: 2 },
    state: { type: String, required: true, enum: CONTACT_STATES, default: 'pending' },
    /** Why the screening sent it to moderation: field and detector, never the text. */
    screeningFlags: { type: [{ field: String, kind: String, _id: false }], default: [] },
    verified: {
      phone: verificationSchema,
      agent: verificationSchema,
      email: verificationSchema,
      hours: verificationSchema,
    },
    lastVerifiedAt: { type: Date },
    counters: {
      helpful: { type: Number, default: 0 },
      notHelpful: { type: Number, default: 0 },
      confirmations: { type: Number, default: 0 },
      reports: { type: Number, default: 0 },
      /** Distinct members who reached the line (« J’ai appelé » → joint) in the last `callWindowDays`, recomputed on every signal and nightly. */
      reachedMonth: { type: Number, default: 0 },
    },
    /**
     * Who said something about the card, for an `_id` lookup of their signals
     * (signals/signals.service.ts, docs/data-access.md): members with a vote, members
     * with a confirmation, open reports. Added before the signal is written.
     */
    ratedBy: { type: [Schema.Types.ObjectId], default: [] },
    confirmedBy: { type: [Schema.Types.ObjectId], default: [] },
    openReportIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Ids of the card's « J’ai appelé » outcomes (`call:<card>:<member>:<day>`), added before the call is written, dropped after 180 days. */
    callIds: { type: [String], default: [] },
    /** Calls before this instant no longer count for the « numéro faux » rule: a person (author or moderator) re-checked the line. */
    callsCountFrom: { type: Date },
    rankScore: { type: Number, default: 0 },
    /** Beta estimate that the lines still work (signals/scoring.ts). */
    validity: { type: Number, default: 2 / 3 },
    /** Wilson lower bound of weighted, decayed usefulness votes. */
    quality: { type: Number, default: 0 },
    /** Numbers hidden as « signalé invalide » after enough independent reports. */
    phonesMasked: { type: Boolean, default: false },
    /** When the contact entered needs_check (the freshness job archives after 30 days). */
    needsCheckSince: { type: Date },
    /** Bumped by every write that changes the search document. */
    revision: { type: Number, default: 1 },
    /** The revision the search index holds (sync: search/indexer.ts). */
    indexedRevision: { type: Number, default: 0 },
    /** True until the search index holds `revision` (an equality FerretDB can push down). */
    searchDirty: { type: Boolean, default: true },
    createdBy: { type: Schema.Types.ObjectId },
    publishedAt: { type: Date },
    agentInformedAt: { type: Date },
    /**
     * How the author says a named agent without an e-mail address was told about
     * the card (docs/agents.md): a named card with neither is not published.
     */
    agentInformed: { type: String, enum: AGENT_INFORMED },
    /** When the agent confirmed the card from their own page (the strongest validity signal). */
    agentConfirmedAt: { type: Date },
    /** Agent links issued before this instant are void (set when the agent withdraws). */
    agentLinksRevokedAt: { type: Date },
    /** The last confirmation campaign e-mail sent to the agent. */
    agentCampaignSentAt: { type: Date },
    /** The address that unsubscribed from campaigns (a new address is asked again; the right to object stays). */
    agentCampaignOptOut: { type: String, lowercase: true, maxlength: 254 },
    /** When the listed agent's objection was confirmed: no moderator check or signal lifts the restriction after it. */
    objectedAt: { type: Date },
    mergedInto: { type: Schema.Types.ObjectId },
    /** The spreadsheet import the card came from (imports/imports.service.ts): its moderators can approve the batch at once. */
    importBatchId: { type: String, maxlength: 40 },
  },
  { timestamps: true, collection: 'contacts' },
);

contactSchema.index({ agencyId: 1, state: 1 });
contactSchema.index({ agencyId: 1, agentKey: 1 });
contactSchema.index({ phoneKeys: 1 });
contactSchema.index({ createdBy: 1 });
contactSchema.index({ state: 1, region: 1 });
contactSchema.index({ departement: 1, state: 1 });
contactSchema.index({ searchDirty: 1 });

// Keyed sets that find contacts without a scan (core/lookup.ts, docs/data-access.md).
export const phoneKey = (e164: string) => `phone:${e164}`;
export const agentKeyOf = (agencyId: Types.ObjectId | string, agentKey: string) => `agent:${agencyId}:${agentKey}`;
export const contactEmailKey = (email: string) => `contact-email:${email.trim().toLowerCase()}`;
export const agencyContactsKey = (agencyId: Types.ObjectId | string) => `agency-contacts:${agencyId}`;
/** Cards of an agency that entered review: the agency page shows them to their author and moderators. */
export const agencyReviewKey = (agencyId: Types.ObjectId | string) => `agency-review:${agencyId}`;

/** Cards of one spreadsheet import (imports/imports.service.ts): its moderators see and approve them as a batch. */
export const importBatchKey = (batchId: string) => `import-batch:${batchId}`;

type Keyed = { agencyId: Types.ObjectId; phoneKeys: string[]; agentKey?: string | null; email?: string | null; state?: string | null };

/** The keys under which a contact with these values must be found. */
export function contactKeys(c: Keyed): string[] {
  return [
    ...c.phoneKeys.map(phoneKey),
    ...(c.agentKey ? [agentKeyOf(c.agencyId, c.agentKey)] : []),
    ...(c.email ? [contactEmailKey(c.email)] : []),
    agencyContactsKey(c.agencyId),
    ...(!c.state || (IN_REVIEW_STATES as readonly string[]).includes(c.state) ? [agencyReviewKey(c.agencyId)] : []),
  ];
}

// Whoever creates a contact (the add form, tests, tools), its keys and its search mark are written
// before the document, so a crash leaves an extra key or push, never a card nobody can find.
// Bulk loads (seeds) use insertMany, which skips this, and rebuild the sets afterwards.
contactSchema.pre('save', async function () {
  if (!this.isNew) return;
  await addToSets(contactKeys(this), this._id);
  await markForSearch('c', [this._id]);
});

export type ContactDoc = InferSchemaType<typeof contactSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Contact = model('Contact', contactSchema);

/**
 * Adds what every write that changes a contact's search document must do:
 * bump the revision and mark it for the search sync (search/indexer.ts).
 */
export function bumpSearch<U extends { $set?: object; $inc?: object }>(update: U): U & { $set: object; $inc: object } {
  return { ...update, $set: { ...update.$set, searchDirty: true }, $inc: { ...update.$inc, revision: 1 } };
}
