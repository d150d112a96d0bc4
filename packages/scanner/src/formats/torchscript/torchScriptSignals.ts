import type { Location, Signal } from '../../model/evidence';
import {
  analyseTorchScriptCode,
  type TorchScriptHazard,
} from './torchScriptCode';

/** TorchScript code files are printer output of a few KiB; more than this is not a model's code. */
export const MAX_TORCHSCRIPT_CODE_BYTES = 4 * 1024 * 1024;

const RULE_BY_KIND: Record<TorchScriptHazard['kind'], string> = {
  'custom-op': 'TORCHSCRIPT-CUSTOM-OP',
  'python-escape': 'TORCHSCRIPT-PYTHON-ESCAPE',
  'file-or-system': 'TORCHSCRIPT-FILE-ACCESS',
  setstate: 'TORCHSCRIPT-SETSTATE',
};

/** Signals for one TorchScript code file (`name` at `location`), read as UTF-8 text. */
export function torchScriptCodeSignals(
  bytes: Uint8Array | number,
  name: string,
  location: Location,
): Signal[] {
  const size = typeof bytes === 'number' ? bytes : bytes.length;
  if (typeof bytes === 'number' || size > MAX_TORCHSCRIPT_CODE_BYTES) {
    return [
      {
        ruleId: 'TORCHSCRIPT-CODE-UNREAD',
        message: `${name} is ${size} bytes, over the ${MAX_TORCHSCRIPT_CODE_BYTES}-byte limit for TorchScript code; what it does was not analysed`,
        location,
        evidence: { bytes: size, limit: MAX_TORCHSCRIPT_CODE_BYTES },
        key: 'torchscript-code-size',
      },
    ];
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return analyseTorchScriptCode(text).map(hazard =>
    hazardSignal(hazard, name, location),
  );
}

function hazardSignal(
  hazard: TorchScriptHazard,
  name: string,
  location: Location,
): Signal {
  const where = `${name}:${hazard.line}`;
  const messages: Record<TorchScriptHazard['kind'], string> = {
    'custom-op': `${where} calls ${hazard.what}, an operator registered by a native extension outside PyTorch (the loader must load that library; what it does cannot be seen here)`,
    'python-escape': `${where} calls back into Python (${hazard.what}): TorchScript's escape hatch runs arbitrary Python when the model runs`,
    'file-or-system': `${where} uses ${hazard.what}, which reaches files or the host from model code`,
    setstate: `${where} defines __setstate__, run by torch.jit.load, and it calls ${
      hazard.detail ?? 'code'
    } rather than only restoring attributes`,
  };
  return {
    ruleId: RULE_BY_KIND[hazard.kind],
    message: messages[hazard.kind],
    location: { ...location, line: hazard.line },
    evidence: {
      symbol: hazard.what,
      kind: hazard.kind,
      ...(hazard.detail ? { calls: hazard.detail } : {}),
    },
    key: `${hazard.kind}:${hazard.what}`,
  };
}
