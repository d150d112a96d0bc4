import type { Rule } from '../model/rule';

export const SOURCE_RULES: Rule[] = [];
