import type { Rule } from '../model/rule';

export const SUPPLY_CHAIN_RULES: Rule[] = [];
