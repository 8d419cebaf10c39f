/**
 * A member's own list of contacts (« Mes contacts »): one document per member,
 * `_id` = the member's id, holding at most MY_CONTACTS_CAP entries. Every read
 * and write is an `_id` lookup (docs/data-access.md, docs/my-contacts.md);
 * writes are compare-and-set on `version`, so two clicks at once never lose an
 * entry nor pass the cap.
 *
 * Each entry keeps what the member last saw of the card (numbers, state,
 * reports): the weekly alert compares the card with it and then moves it on.
 */
import { model, Schema, type Types } from 'mongoose';

export const MY_CONTACTS_CAP = 200;

const seenSchema = new Schema(
  {
    /** E.164 numbers the member could see, sorted. */
    phones: { type: [String], default: [] },
    state: { type: String, maxlength: 30 },
    phonesMasked: { type: Boolean, default: false },
    /** Open reports of a data-quality kind counted on the card (its `openReportIds` length). */
    openReports: { type: Number, default: 0 },
  },
  { _id: false },
);

const entrySchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    addedAt: { type: Date, required: true },
    seen: { type: seenSchema, required: true },
  },
  { _id: false },
);

const myContactsSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    entries: { type: [entrySchema], default: [] },
    /** The weekly e-mail of what changed (opt-in, off by default). */
    alerts: { type: Boolean, default: false },
    lastDigestAt: { type: Date },
    version: { type: Number, default: 0 },
  },
  { collection: 'my_contacts', versionKey: false, timestamps: true },
);

export interface SeenCard {
  phones: string[];
  state: string;
  phonesMasked: boolean;
  openReports: number;
}
export interface MyContactEntry {
  contactId: Types.ObjectId;
  addedAt: Date;
  seen: SeenCard;
}
export interface MyContactsDoc {
  _id: Types.ObjectId;
  entries: MyContactEntry[];
  alerts?: boolean;
  lastDigestAt?: Date;
  version?: number;
}
export const MyContacts = model('MyContacts', myContactsSchema);

/** The keyed set (core/lookup.ts) of the members who asked for the weekly alert; read by the job only. */
export const ALERTS_KEY = 'my-contacts-alerts';
