/**
 * A development service (embedded database or search engine) that cannot
 * start; its message tells the developer what to do. Kept apart from the
 * services themselves so that production never loads them.
 */
export class EmbeddedServiceError extends Error {}
