import { describeLanguages, walkGroups } from './support/language-walk';

describeLanguages(walkGroups[1]);
