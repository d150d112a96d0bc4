import type { Rule } from '../model/rule';
import { SCAN_RULES } from './scan';
import { PICKLE_RULES } from './pickle';
import { NUMPY_RULES } from './numpy';
import { ARCHIVE_RULES } from './archive';
import { TORCHSCRIPT_RULES } from './torchscript';
import { MODEL_FORMAT_RULES } from './modelFormats';
import { MODEL_CONFIG_RULES } from './modelConfigs';
import { SUPPLY_CHAIN_RULES } from './supplyChain';
import { SOURCE_RULES } from './source';
import { NOTEBOOK_RULES } from './notebooks';
import { SECRET_RULES } from './secrets';
import { DATASET_RULES } from './datasets';
import { SIGNATURE_RULES } from './signatures';
import { IMAGE_RULES } from './images';
import { IMAGE_SIGNATURE_RULES } from './imageSignatures';

/** Every rule, in documentation order. */
export const RULES: readonly Rule[] = [
  ...PICKLE_RULES,
  ...NUMPY_RULES,
  ...ARCHIVE_RULES,
  ...TORCHSCRIPT_RULES,
  ...MODEL_FORMAT_RULES,
  ...MODEL_CONFIG_RULES,
  ...SIGNATURE_RULES,
  ...SUPPLY_CHAIN_RULES,
  ...SOURCE_RULES,
  ...NOTEBOOK_RULES,
  ...SECRET_RULES,
  ...DATASET_RULES,
  ...IMAGE_RULES,
  ...IMAGE_SIGNATURE_RULES,
  ...SCAN_RULES,
];

const BY_ID = new Map(RULES.map(rule => [rule.id, rule]));

export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export function getRule(id: string): Rule {
  const rule = BY_ID.get(id);
  if (!rule)
    throw new Error(
      `Unknown rule ID ${id}: add it to the catalogue in src/rules/`,
    );
  return rule;
}
