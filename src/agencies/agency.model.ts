/** An administration's office or service: "CAF de Loire-Atlantique", "CCAS de Nantes". */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';
import { addToSets } from '../core/lookup';
import { markForSearch } from '../search/search-outbox';

export const AGENCY_LEVELS = ['NATIONAL', 'REGIONAL', 'DEPARTEMENTAL', 'LOCAL'] as const;
/**
 * `pending`: created with a member's contact, seen by its creator and the région's moderators only,
 * until a moderator approves that contact (then `active`). `rejected` is never listed either. A
 * document without a state is active (the schema default; `migrateData` writes it).
 */
export const AGENCY_STATUSES = ['pending', 'active', 'rejected', 'closed'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

const agencySchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 160 },
    /** Lower-case, accent-free name used to catch duplicates. */
    nameKey: { type: String, required: true, maxlength: 160 },
    typeCode: { type: String, required: true, maxlength: 40 },
    level: { type: String, required: true, enum: AGENCY_LEVELS },
    departement: { type: String, required: true, maxlength: 3 },
    region: { type: String, required: true, maxlength: 2 },
    commune: { type: String, trim: true, maxlength: 120 },
    postcode: { type: String, trim: true, maxlength: 5 },
    address: { type: String, trim: true, maxlength: 200 },
    switchboard: { type: String, maxlength: 20 },
    website: { type: String, trim: true, maxlength: 300 },
    coordinates: { lat: { type: Number, min: -90, max: 90 }, lng: { type: Number, min: -180, max: 180 } },
    status: { type: String, required: true, enum: AGENCY_STATUSES, default: 'active' },
    createdBy: { type: Schema.Types.ObjectId },
    /**
     * E-mail domains a moderator of the région vouches for as this agency's own
     * (e.g. « caf.fr »): an objection sent from such an address is applied at once
     * (moderation/objections.service.ts, docs/contact-lifecycle.md).
     */
    emailDomains: { type: [String], default: [] },
    /** True until the search indexes hold this version (the agency and its contacts' documents). */
    searchDirty: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'agencies' },
);

// Browse and the no-JavaScript picker: agencies of a département and type (equality only).
agencySchema.index({ departement: 1, typeCode: 1 });
agencySchema.index({ nameKey: 1, departement: 1 });
agencySchema.index({ region: 1 });
agencySchema.index({ searchDirty: 1 });

/** Keyed sets that find agencies without a scan (core/lookup.ts, docs/data-access.md). */
export const agenciesOfKey = (departement: string) => `agencies-of:${departement}`;
export const agencyNameKey = (departement: string, nameKey: string) => `agency-name:${departement}:${nameKey}`;
export const agencyKeys = (a: { departement: string; nameKey: string }) => [agenciesOfKey(a.departement), agencyNameKey(a.departement, a.nameKey)];

// Keys and search mark before the document (bulk loads use insertMany and rebuild the sets).
agencySchema.pre('save', async function () {
  if (!this.isNew) return;
  await addToSets(agencyKeys(this), this._id);
  await markForSearch('a', [this._id]);
});

export type AgencyDoc = InferSchemaType<typeof agencySchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Agency = model('Agency', agencySchema);
