/**
 * A listed agent's personal link to their own card (docs/agents.md). Only the
 * token's SHA-256 is stored, as the `_id`, so every lookup is by `_id` and a
 * leaked database does not give working links.
 */
import { type InferSchemaType, model, Schema } from 'mongoose';

export const AGENT_LINK_PURPOSES = ['information', 'campaign'] as const;

const agentLinkSchema = new Schema(
  {
    /** Hex SHA-256 of the token sent by e-mail. */
    _id: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    /** The address it was sent to: the link works only while the card shows this address. */
    email: { type: String, required: true, lowercase: true, maxlength: 254 },
    purpose: { type: String, required: true, enum: AGENT_LINK_PURPOSES },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    lastUsedAt: { type: Date },
  },
  { timestamps: true, collection: 'agent_links' },
);

export type AgentLinkDoc = InferSchemaType<typeof agentLinkSchema> & { _id: string; createdAt: Date };
export const AgentLink = model('AgentLink', agentLinkSchema);
