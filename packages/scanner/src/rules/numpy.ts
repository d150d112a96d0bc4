import type { Rule } from '../model/rule';

/** NumPy array structure (the object-dtype and trailing-data rules sit with the pickle rules). */
export const NUMPY_RULES: Rule[] = [
  {
    id: 'NUMPY-SHORT-DATA',
    title: 'NumPy array holds less data than its header declares',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-20', 'CWE-1284', 'CWE-125'],
    owaspLlm: ['LLM03:2025'],
    description:
      'An `.npy` array (or `.npz` member) declares a shape and dtype that need more bytes than the file holds, sometimes a shape whose product overflows 64 bits. `numpy.load` fails on it, but memory-mapping loaders and native readers that trust the header read past the end of the buffer, and a file that cannot be what it claims was not checked. The finding gives the declared and the actual data size.',
    fix: 'Obtain the array again from a trusted copy (a truncated download or copy looks like this) and re-save it with `numpy.save`.',
    docsAnchor: 'numpy-short-data',
  },
];
