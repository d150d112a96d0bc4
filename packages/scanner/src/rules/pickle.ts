import type { Rule } from '../model/rule';

export const PICKLE_RULES: Rule[] = [];
