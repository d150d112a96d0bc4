import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScanner, type Finding } from '@ml-governance/scanner';

interface ManifestEntry {
  path: string;
  label: 'benign' | 'malicious';
  format: string;
  technique: string;
}

const CORPUS = join(__dirname, '..', 'fixtures', 'corpus');
const manifest: { files: ManifestEntry[] } = JSON.parse(
  readFileSync(join(CORPUS, 'manifest.json'), 'utf8'),
);
const isBlocking = (f: Finding) =>
  f.severity === 'critical' || f.severity === 'high';

/**
 * The corpus is the detection bar in miniature: every malicious file blocks, no benign file blocks.
 * Each file is scanned by its own name so that sniffing by content (not extension) is exercised.
 */
describe('corpus conformance', () => {
  const scanner = createScanner();

  it.each(
    manifest.files
      .filter(f => f.label === 'malicious')
      .map(f => [f.path, f.technique]),
  )('blocks malicious %s (%s)', async path => {
    const result = await scanner.scanPath(join(CORPUS, path));
    expect(result.findings.filter(isBlocking).map(f => f.ruleId)).not.toEqual(
      [],
    );
  });

  it.each(
    manifest.files
      .filter(f => f.label === 'benign')
      .map(f => [f.path, f.technique]),
  )('does not block benign %s (%s)', async path => {
    const result = await scanner.scanPath(join(CORPUS, path));
    expect(
      result.findings.filter(isBlocking).map(f => `${f.ruleId}: ${f.message}`),
    ).toEqual([]);
  });
});
