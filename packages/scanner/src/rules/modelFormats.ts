import type { Rule } from '../model/rule';

export const MODEL_FORMAT_RULES: Rule[] = [];
