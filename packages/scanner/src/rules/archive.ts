import type { Rule } from '../model/rule';

const SUPPLY_CHAIN = ['LLM03:2025'];

/**
 * Container rules: zip, tar and compressed wrappers. Most of them flag a structure on which two
 * readers (a scanner and a loader, or two loaders) can disagree about what the archive holds, which
 * is how payloads have been smuggled past established scanners.
 */
export const ARCHIVE_RULES: Rule[] = [
  {
    id: 'ARCHIVE-ZIP-MISMATCH',
    title: 'Zip local header disagrees with the central directory',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-436', 'CWE-434'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "A member's local file header and its central directory record give a different name, compression method, size or flag bits. Loaders that stream local headers and loaders that trust the central directory then see different content, so a scanner using one view can be bypassed by a loader using the other.",
    fix: 'Rebuild the archive with a standard tool (or re-save the model with its library) and scan it again.',
    docsAnchor: 'archive-zip-mismatch',
  },
  {
    id: 'ARCHIVE-DUPLICATE',
    title: 'Archive holds two members with the same name',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-436'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "Two entries share one name. Python's zipfile and tarfile return the last one, other readers the first, so the member a scanner inspects may not be the one a loader runs. Every copy is scanned; the duplication itself is the finding.",
    fix: 'Rebuild the archive so every name appears once, and check which copy the producer meant to ship.',
    docsAnchor: 'archive-duplicate',
  },
  {
    id: 'ARCHIVE-ZIP-CRC',
    title: 'Zip member fails its CRC-32 check',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-354'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "The member's content does not match the CRC-32 recorded for it. Python's zipfile (used by several scanners) aborts on it while loaders that skip the check load the content anyway: a known way to blind a scanner.",
    fix: 'Re-download or re-export the artifact; a model file should never carry a wrong checksum.',
    docsAnchor: 'archive-zip-crc',
  },
  {
    id: 'ARCHIVE-ZIP-FLAGS',
    title: 'Zip member uses unusual general-purpose flag bits',
    category: 'archive',
    severity: 'medium',
    cwe: ['CWE-436'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A member sets general-purpose bits that model writers never use (strong encryption, masked local headers, reserved bits). Readers differ on how they honour them.',
    fix: 'Rebuild the archive with a standard tool or re-save the model with its library.',
    docsAnchor: 'archive-zip-flags',
  },
  {
    id: 'ARCHIVE-ZIP-OVERLAP',
    title: 'Zip entries overlap or leave unreferenced bytes',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-409', 'CWE-436'],
    owaspLlm: ['LLM03:2025', 'LLM10:2025'],
    description:
      'Entries share bytes (the construction of overlapping zip bombs) or bytes between entries are referenced by no central directory record (a hidden member that only a local-header walker sees).',
    fix: 'Rebuild the archive with a standard tool and find out where the extra or shared bytes came from.',
    docsAnchor: 'archive-zip-overlap',
  },
  {
    id: 'ARCHIVE-POLYGLOT',
    title: 'Archive has content before or after its own structure',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-434'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'Bytes come before the first member or after the end of the archive. The file can then be two formats at once (a pickle and a zip, say), and which one a loader sees depends on how it opens the file.',
    fix: 'Strip the extra bytes (re-export the model) and check where they came from.',
    docsAnchor: 'archive-polyglot',
  },
  {
    id: 'ARCHIVE-PATH-TRAVERSAL',
    title: 'Archive member name escapes the extraction folder',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-22'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A member name is absolute, contains `..`, a backslash, a drive letter or a NUL byte. Extracting the archive (as some model loaders and hubs do) can write outside the target folder ("zip slip"), and NUL or backslash names are read differently by different tools.',
    fix: 'Rebuild the archive with relative, forward-slash member names without `..`.',
    docsAnchor: 'archive-path-traversal',
  },
  {
    id: 'ARCHIVE-LINK',
    title: 'Archive contains a symbolic or hard link',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-59'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A member is a symbolic or hard link. Extracted, it can point at files outside the archive (SSH keys, credentials) that a loader then reads or overwrites. Model archives have no need for links.',
    fix: 'Replace links with the files they point to, or remove them.',
    docsAnchor: 'archive-link',
  },
  {
    id: 'ARCHIVE-ENCRYPTED',
    title: 'Encrypted archive member could not be analysed',
    category: 'archive',
    severity: 'medium',
    cwe: ['CWE-311', 'CWE-20'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The member is encrypted, so its content was not inspected. Graded by whether a loader could load it: medium in a plain zip (whoever holds the password can extract and load whatever it contains), low inside a PyTorch, TorchScript, NumPy or Keras archive, whose loaders cannot decrypt members and fail instead.',
    fix: 'Ship the artifact unencrypted (protect it in transit and at rest instead) so it can be scanned.',
    docsAnchor: 'archive-encrypted',
  },
  {
    id: 'ARCHIVE-UNSUPPORTED',
    title: 'Compressed content the scanner cannot decompress',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-20'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The content is compressed with a method the scanner does not implement (bzip2, xz/LZMA, zstd, LZ4, 7z, RAR). Loaders such as joblib decompress these transparently, so what is inside was not checked and cannot pass.',
    fix: 'Ship the artifact uncompressed, or as zip (deflate) or gzip, so it can be scanned.',
    docsAnchor: 'archive-unsupported',
  },
  {
    id: 'ARCHIVE-BOMB',
    title: 'Archive member expands beyond the compression-ratio limit',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-409'],
    owaspLlm: ['LLM03:2025', 'LLM10:2025'],
    description:
      'A member claims or produces far more data than its compressed size justifies (a decompression bomb). It was not analysed beyond the limit; loading it can exhaust memory or disk.',
    fix: 'Check the artifact; if such a ratio is legitimate, raise `maxCompressionRatio` in the policy limits for this path.',
    docsAnchor: 'archive-bomb',
  },
  {
    id: 'ARCHIVE-STRUCT',
    title: 'Archive structure is malformed',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-20', 'CWE-436'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "The end-of-central-directory record, central directory, a local header, a tar header or a compressed stream is missing, truncated or inconsistent (e.g. an entry count that does not match, or an .xz header, index or block check — CRC32, CRC64, SHA-256 — that disagrees with the data, which xz and Python's lzma refuse). Lenient loaders may still load such files; the scanner read what it could and reports the rest.",
    fix: 'Rebuild the archive with a standard tool (or re-save the model with its library) and scan it again.',
    docsAnchor: 'archive-struct',
  },
  {
    id: 'ARCHIVE-TAR-CHECKSUM',
    title: 'Tar header checksum is wrong',
    category: 'archive',
    severity: 'high',
    cwe: ['CWE-354', 'CWE-436'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "A tar header does not match its checksum. Python's tarfile stops there while other readers go on, so scanners and loaders can see different members. The walk stops at the bad header.",
    fix: 'Rebuild the tar with a standard tool, or re-save the model with a current library (PyTorch zip format or safetensors).',
    docsAnchor: 'archive-tar-checksum',
  },
  {
    id: 'ARCHIVE-TORCHSCRIPT',
    title: 'TorchScript archive: its code runs on torch.jit.load',
    category: 'archive',
    severity: 'info',
    cwe: ['CWE-94'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A TorchScript archive carries compiled Python-like code (`code/`) that the TorchScript interpreter runs when the model is loaded and called. The language is restricted, but the code comes from whoever produced the file, so the scanner analyses it (TORCHSCRIPT-* rules: custom operators, Python escapes, file access, `__setstate__`) and reads its pickles as the jit unpickler does. Informational on its own.',
    fix: 'Load TorchScript models only from trusted producers, or export the weights to safetensors and build the module in reviewed code.',
    docsAnchor: 'archive-torchscript',
  },
];
