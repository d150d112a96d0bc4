import type { Rule } from '../model/rule';

const SUPPLY_CHAIN = ['LLM03:2025'];

/** Container-image rules: the image config (what runs at start) and the image structure itself. */
export const IMAGE_RULES: Rule[] = [
  {
    id: 'IMAGE-RUNTIME-INSTALL',
    title: 'Image installs packages when the container starts',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-494', 'CWE-829'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The entrypoint or command runs `pip install` (or `uv pip`, `conda install`, `npm install`) at start. What runs in production is then whatever the package index serves on that day, never what was scanned.',
    fix: 'Install dependencies at build time from a locked, hashed requirements file and remove the install from the entrypoint.',
    docsAnchor: 'image-runtime-install',
  },
  {
    id: 'IMAGE-SECRET',
    title: 'Image config carries a secret in an environment variable or label',
    category: 'provenance',
    severity: 'critical',
    cwe: ['CWE-798', 'CWE-532'],
    owaspLlm: ['LLM02:2025'],
    description:
      'An `Env` entry or a label holds what looks like a credential (AWS access key, Hugging Face token, a high-entropy `*_PASSWORD`/`*_TOKEN`/`*_SECRET` value). Image configs are readable by anyone who can pull the image. The value is redacted in the finding.',
    fix: 'Rotate the credential now, then pass it at run time from a secret store instead of baking it into the image.',
    docsAnchor: 'image-secret',
  },
  {
    id: 'IMAGE-ROOT-USER',
    title: 'Image runs as root',
    category: 'provenance',
    severity: 'medium',
    cwe: ['CWE-250'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The config sets no `User`, or sets `root`/`0`. A model-serving process that deserialises a malicious artifact then runs the payload with root rights in the container.',
    fix: 'Add a non-root user in the Dockerfile (`USER 10001`) and make the model and cache paths writable by it.',
    docsAnchor: 'image-root-user',
  },
  {
    id: 'IMAGE-LATEST-BASE',
    title: 'Image was built from a `latest` base tag',
    category: 'provenance',
    severity: 'low',
    cwe: ['CWE-1104'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The `org.opencontainers.image.base.name` label names a base image by the `latest` tag (or no tag), so rebuilding the same Dockerfile can pull a different base.',
    fix: 'Pin the base image by digest (`FROM python:3.12-slim@sha256:…`).',
    docsAnchor: 'image-latest-base',
  },
  {
    id: 'IMAGE-UNREADABLE',
    title: 'Image could not be read completely',
    category: 'scan',
    severity: 'high',
    cwe: ['CWE-20'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A manifest, config or layer could not be parsed, failed its digest, exceeded a limit or uses an unsupported compression. What was not read was not scanned, so it cannot pass.',
    fix: 'Rebuild or re-export the image with standard tools, or raise the image limits if the image is legitimately that large.',
    docsAnchor: 'image-unreadable',
  },
];
