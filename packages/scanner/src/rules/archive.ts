import type { Rule } from '../model/rule';

export const ARCHIVE_RULES: Rule[] = [];
