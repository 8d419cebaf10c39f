/** The contacts' vocabulary other features use at runtime (the model stays private to contacts/). */
export { PHONE_KINDS, type PhoneKind } from './contact.model';
