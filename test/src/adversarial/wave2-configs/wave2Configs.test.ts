/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * Detection wave 2 (issue #13), red team: every generated attack is blocked by the rule that names
 * its mechanism, and every benign shape beside it passes.
 */
import {
  blocking,
  expectNotBlocked,
  scanTree,
  summary,
} from '../__testUtils__/helpers';
import {
  hydraAttacks,
  hydraBenign,
  kerasAttacks,
  kerasBenign,
  templateAttacks,
  templateBenign,
  type AttackCase,
} from './generators';

async function expectBlockedForTheRightReason(attack: AttackCase) {
  const result = await scanTree(attack.files);
  const hits = blocking(result).filter(
    f =>
      f.ruleId === attack.rule &&
      (attack.symbol === undefined || f.evidence.symbol === attack.symbol) &&
      (attack.mentions === undefined || f.message.includes(attack.mentions)),
  );
  if (hits.length === 0)
    expect({
      wanted: `${attack.rule} ${attack.symbol ?? ''} ${attack.mentions ?? ''}`,
      got: summary(result),
    }).toBe('blocked');
}

describe('wave 2: Hydra / OmegaConf _target_ (CVE-2025-23304 class)', () => {
  it.each(hydraAttacks().map(c => [c.name, c] as const))(
    'blocks %s',
    async (_name, attack) => expectBlockedForTheRightReason(attack),
  );
  it.each(hydraBenign().map(c => [c.name, c] as const))(
    'passes %s',
    async (_name, benign) => expectNotBlocked(await scanTree(benign.files)),
  );
});

describe('wave 2: Keras safe_mode bypasses and file reads', () => {
  it.each(kerasAttacks().map(c => [c.name, c] as const))(
    'blocks %s',
    async (_name, attack) => expectBlockedForTheRightReason(attack),
  );
  it.each(kerasBenign().map(c => [c.name, c] as const))(
    'passes %s',
    async (_name, benign) => expectNotBlocked(await scanTree(benign.files)),
  );
});

describe('wave 2: chat templates outside the fixed Hugging Face names', () => {
  it.each(templateAttacks().map(c => [c.name, c] as const))(
    'blocks %s',
    async (_name, attack) => expectBlockedForTheRightReason(attack),
  );
  it.each(templateBenign().map(c => [c.name, c] as const))(
    'passes %s',
    async (_name, benign) => expectNotBlocked(await scanTree(benign.files)),
  );
});
