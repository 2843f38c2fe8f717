// Generated Russian, one module for every page, letter and message: names in a case, words that agree with a
// person's sex, counts, municipalities in addresses, letter subjects. Shared plumbing: imports no module.
export { bySex, greetingName, initialsName, officialName, sexOf } from './names.js';
export type { GrammaticalCase, PersonName, Sex } from './names.js';
export {
  APPLICATION_FORMS,
  CHILD_FORMS,
  PLACE_FORMS,
  PROGRAM_FORMS,
  YEAR_FORMS,
  countOf,
  freePlaces,
  ofCount,
  plural,
} from './numbers.js';
export type { NounForms } from './numbers.js';
export { NAVIGATOR_NAME, addressWithMunicipality, asSentence, letterSubject } from './places.js';
