/** The members' vocabulary other features use at runtime (the model stays private to members/). */
export { PROFESSIONS, type ProfessionCode } from './member.model';
