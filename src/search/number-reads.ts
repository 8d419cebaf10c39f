/**
 * « Who is this number? »: the cards that carry a number, found through the
 * `phone:<e164>` keyed set and loaded by `_id` (docs/data-access.md), never
 * through the index, which leaves restricted cards' direct lines out. Each card
 * is then shaped by toSearchDocument, so a restricted card shows only what
 * restriction allows (no agent's name, no direct line) and a pending or
 * rejected one not at all.
 */
import type { AgencyDoc } from '../agencies/agency.model';
import { agenciesByIds } from '../agencies/agencies.service';
import { contactsByKeys, phoneKey } from '../contacts/contact-store';
import type { ContactDoc } from '../contacts/contact.model';
import { type ContactSearchDocument, toSearchDocument } from './contact-index';

/** Search documents of these contacts (those members may see), best ranked first. */
export async function visibleDocuments(contacts: ContactDoc[], agencies?: Map<string, AgencyDoc>): Promise<ContactSearchDocument[]> {
  const byId = agencies ?? new Map<string, AgencyDoc>();
  const missing = [...new Set(contacts.map((c) => String(c.agencyId)))].filter((id) => !byId.has(id));
  if (missing.length) {
    for (const a of await agenciesByIds(missing)) byId.set(String(a._id), a);
  }
  return contacts
    .map((c) => {
      const agency = byId.get(String(c.agencyId));
      return agency ? toSearchDocument(c, agency) : undefined;
    })
    .filter((d): d is ContactSearchDocument => !!d)
    .sort((a, b) => b.rankScore - a.rankScore);
}

/** The visible cards whose numbers include this one (E.164), best ranked first. */
export async function documentsWithNumber(e164: string): Promise<ContactSearchDocument[]> {
  // The set is an index, not the truth: keep the cards that still carry the number.
  const contacts = (await contactsByKeys([phoneKey(e164)])).filter((c) => c.phones.some((p) => p.e164 === e164));
  return visibleDocuments(contacts);
}
