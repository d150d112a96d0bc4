import type { Severity } from '../../model/severity';
import { gradeInstall, INSTALL_COMMAND } from '../../source/runtimeInstall';
import {
  BROWSER_CELL_MAGICS,
  INSTALL_LINE_MAGICS,
  PIPE_TO_SHELL,
  PYTHON_CELL_MAGICS,
  RUN_LINE_MAGICS,
  SHELL_CELL_MAGICS,
  SHELL_LINE_MAGICS,
} from './magics';

/** A command a code cell runs outside Python: `!cmd`, `%pip …`, `%run x.py`, a `%%bash` line. */
export interface CellCommand {
  /** 1-based line in the cell. */
  line: number;
  /** How it was written: `!`, `%pip`, `%%bash`… */
  via: string;
  command: string;
}

export interface SplitCell {
  /** The cell as Python, with non-Python lines replaced by `pass` so lines and indentation stay. */
  python: string;
  commands: CellCommand[];
  /** `%%javascript`/`%%html`: the cell body runs in the browser. */
  browserMagic?: string;
}

const LINE_MAGIC =
  /^(?<indent>\s*)(?:(?<target>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*)?(?:(?<bang>!!?)|%(?<magic>[A-Za-z_]\w*))(?<rest>.*)$/;

/** Separates a code cell into the Python the source analyzer reads and the commands it runs. */
export function splitCell(source: string): SplitCell {
  const lines = source.split('\n');
  const first = lines.findIndex(line => line.trim() !== '');
  const cellMagic =
    first >= 0 ? /^\s*%%(?<name>\S+)\s*(?<args>.*)$/.exec(lines[first]) : null;
  if (cellMagic) {
    const name = cellMagic.groups!.name;
    if (SHELL_CELL_MAGICS.has(name)) {
      const commands = lines
        .map((text, index) => ({
          line: index + 1,
          via: `%%${name}`,
          command: text.trim(),
        }))
        .filter(
          command =>
            command.line > first + 1 &&
            command.command !== '' &&
            !command.command.startsWith('#'),
        );
      return { python: '', commands };
    }
    if (BROWSER_CELL_MAGICS.has(name))
      return { python: '', commands: [], browserMagic: name };
    if (!PYTHON_CELL_MAGICS.has(name)) return { python: '', commands: [] };
    lines[first] = '';
  }
  const commands: CellCommand[] = [];
  const python = lines.map((text, index) => {
    const match = LINE_MAGIC.exec(text);
    if (!match) return text;
    const { indent, target, bang, magic, rest } = match.groups!;
    // `a % b` on its own line would need a left operand; `%` at line start is always a magic.
    if (bang)
      commands.push({ line: index + 1, via: '!', command: rest.trim() });
    else if (
      magic &&
      (SHELL_LINE_MAGICS.has(magic) || INSTALL_LINE_MAGICS.has(magic))
    )
      commands.push({
        line: index + 1,
        via: `%${magic}`,
        command: SHELL_LINE_MAGICS.has(magic)
          ? rest.trim()
          : `${magic} ${rest.trim()}`,
      });
    else if (magic && RUN_LINE_MAGICS.has(magic))
      commands.push({
        line: index + 1,
        via: `%${magic}`,
        command: `%${magic} ${rest.trim()}`,
      });
    return target ? `${indent}${target} = None` : `${indent}pass`;
  });
  return { python: python.join('\n'), commands };
}

export interface CommandObservation {
  ruleId:
    | 'NOTEBOOK-SHELL'
    | 'NOTEBOOK-RUNTIME-INSTALL'
    | 'NOTEBOOK-PIPE-TO-SHELL'
    | 'NOTEBOOK-RUN-EXTERNAL';
  severity: Severity;
  message: string;
  details: Record<string, string>;
}

/** What one command does, graded. One observation per command: the most specific meaning. */
export function classifyCommand(command: CellCommand): CommandObservation {
  const text = command.command;
  if (
    command.via.startsWith('%') &&
    RUN_LINE_MAGICS.has(command.via.slice(1))
  ) {
    const remote = /https?:\/\//i.test(text);
    return {
      ruleId: 'NOTEBOOK-RUN-EXTERNAL',
      severity: remote ? 'high' : 'low',
      message: remote
        ? `${command.via} loads code from a URL into the kernel: whoever serves it decides what runs`
        : `${command.via} runs or loads code from another file, which this notebook scan does not see`,
      details: {},
    };
  }
  if (PIPE_TO_SHELL.test(text))
    return {
      ruleId: 'NOTEBOOK-PIPE-TO-SHELL',
      severity: 'high',
      message: `A downloaded script is piped into an interpreter (${command.via}): it runs unreviewed when the cell runs`,
      details: {},
    };
  if (
    INSTALL_COMMAND.test(text) ||
    (command.via.startsWith('%') &&
      INSTALL_LINE_MAGICS.has(command.via.slice(1)))
  ) {
    const { severity, unknownHosts: unknown } = gradeInstall(text);
    return {
      ruleId: 'NOTEBOOK-RUNTIME-INSTALL',
      severity,
      message:
        unknown.length > 0
          ? `Packages installed at run time from ${unknown.join(
              ', ',
            )}, outside the reviewed dependencies`
          : `Packages installed at run time (${command.via}), outside the locked and reviewed dependencies`,
      details: unknown.length > 0 ? { hosts: unknown.join(',') } : {},
    };
  }
  return {
    ruleId: 'NOTEBOOK-SHELL',
    severity: 'low',
    message: `Shell command in a code cell (${command.via}): it runs with the kernel's rights`,
    details: {},
  };
}
