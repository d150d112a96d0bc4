const EXIT_CODES_HELP = `Exit codes:
  0   PASS     nothing blocks the release
  10  TICKET   the release may go ahead; findings need a ticket
  20  BLOCK    the release is blocked
  2   usage or configuration error (bad arguments, invalid policy, missing path)
  3   internal error (the scan or the request could not complete)
A blocked release exits 20 even if something else also went wrong: errors never hide findings.`;

export const MAIN_HELP = `mlgov — keep malicious and non-compliant ML artifacts out of production.

Usage:
  mlgov scan <path> [options]        scan models, dependencies and source; decide PASS/TICKET/BLOCK
  mlgov gate <entityRef> --url <url> ask the ML Governance portal for an entity's release decision
  mlgov rules [--format ...]         list the rule catalogue
  mlgov <command> --help             help for one command
  mlgov --version

The scanner reads bytes only: it never loads, unpickles or executes what it scans.

${EXIT_CODES_HELP}

Docs: docs/ci.md (CI setup, policy reference), docs/rules.md (every rule).
`;

export const SCAN_HELP = `Usage: mlgov scan <path|uri> [options]

Scans a folder (or one file): model files (pickle, PyTorch, Keras, ONNX, safetensors, GGUF...),
archives, Python dependency manifests and lock files, and Python source. Applies the policy and
prints a report; the exit code is the release decision.

Remote targets are read where they live, by ranges (headers, not weights):
  hf://<org>/<name>[@<revision>]   Hugging Face Hub (HF_ENDPOINT, HF_TOKEN); pinned to the commit SHA
  s3://<bucket>/<prefix>           S3 or S3-compatible (AWS_* credential chain, AWS_ENDPOINT_URL)
  mlflow://<name>/<version|stage|alias>  MLflow Model Registry (MLFLOW_TRACKING_URI, _TOKEN)
  gs://<bucket>/<prefix>           Google Cloud Storage (GOOGLE_OAUTH_ACCESS_TOKEN or
                                   GOOGLE_APPLICATION_CREDENTIALS, STORAGE_EMULATOR_HOST)
  az://<account>/<container>/<prefix>  Azure Blob (AZURE_STORAGE_CONNECTION_STRING, or
                                   AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or _SAS_TOKEN)

Container images are flattened (whiteouts applied) and their final filesystem scanned:
  oci-layout:<dir>  oci-archive:<file.tar>  docker-archive:<file.tar>
  oci://<host>[:port]/<repo>[:tag|@sha256:…]  registry pull (~/.docker/config.json credentials)
  --platform <os/arch>  scan only that platform of a multi-platform index (repeatable)

Options:
  -p, --policy <file>        policy file (YAML, apiVersion: mlgov/v1); default: built-in policy
                             (block on high, ticket on medium)
  -f, --format <fmt>         report format: text (default), json, sarif, cyclonedx
  -o, --output <file>        write the report of the preceding --format to <file> instead of stdout
                             (a format is guessed from the extension when --format is not given:
                             .sarif, .cdx.json / .bom.json, .json, other → text)
      --sarif <file>         also write SARIF 2.1.0 (GitHub code scanning) to <file>
      --cyclonedx <file>     also write a CycloneDX 1.6 ML-BOM to <file>
      --json <file>          also write the JSON report to <file>
      --text <file>          also write the text report to <file>
      --fail-on <severity>   block at this severity or above, overriding the policy's fail_on
      --report-to <url>      upload the scan to this Backstage portal (needs --entity and a token
                             in MLGOV_TOKEN with ml-governance.scan.report); the exit code then
                             follows the portal's decision
      --entity <ref>         the entity to report for, [kind:][namespace/]name
      --commit <sha>         commit scanned (default GITHUB_SHA or CI_COMMIT_SHA)
      --run-url <url>        CI run (default the GitHub Actions run URL or CI_JOB_URL)
      --token-env <name>     environment variable holding the token (default MLGOV_TOKEN)
                             (critical, high, medium, low, info)
      --trusted-root <pem>   CA certificate model signatures (model.sig) may chain to; repeatable
      --require-signature    a model folder without a verified model.sig blocks (policy signatures.require_signature)
      --image-key <pem>      cosign public key whose signature on an oci:// image's digest is trusted; repeatable
      --require-image-signature
                             an oci:// image without a valid cosign signature by an --image-key blocks
      --no-progress          no progress line on stderr (it only shows on a terminal anyway)
  -q, --quiet                no text report on stdout; requested reports are still written
  -h, --help                 this help

Use "-" as a file name for stdout. Only one report can go to stdout. When every report goes to a
file, the text report is also printed to stdout (unless --quiet).

Examples:
  mlgov scan models/
  mlgov scan models/ --policy .mlgov/policy.yaml --sarif mlgov.sarif --cyclonedx mlgov.cdx.json
  mlgov scan model.pt --format json --output report.json
  HF_TOKEN=hf_… mlgov scan hf://meta-llama/Llama-3.1-8B@main --format json
  mlgov scan . --fail-on critical --quiet; echo "exit code $?"

${EXIT_CODES_HELP}
`;

export const GATE_HELP = `Usage: mlgov gate <entityRef> --url <portal-url> [options]

Asks the ML Governance portal (Backstage) for the release decision of a catalog entity: its latest
scan, the portal's policy and approved risk acceptances. Use it in a deploy pipeline after the
portal has scanned the release; with --wait it polls until the decision allows the release (for
example after an approver accepts the risk in the portal) or the timeout expires.

<entityRef> is [kind:][namespace/]name; kind defaults to component, namespace to default.

Options:
      --url <url>            Backstage base URL (default: $MLGOV_URL), e.g. https://backstage.example.com
      --token-env <name>     environment variable holding the bearer token (default: MLGOV_TOKEN);
                             tokens are never taken on the command line, where logs would show them
      --wait                 poll until PASS or TICKET; at the timeout, exit as BLOCK
      --timeout <duration>   how long --wait polls (default 30m; units ms, s, m, h)
      --interval <duration>  time between polls (default 30s)
  -f, --format <fmt>         text (default) or json (the portal's answer as is)
  -h, --help                 this help

Examples:
  MLGOV_TOKEN=... mlgov gate component:default/fraud-scorer --url https://backstage.example.com
  mlgov gate fraud-scorer --wait --timeout 2h --interval 1m

${EXIT_CODES_HELP}
`;

export const RULES_HELP = `Usage: mlgov rules [--format text|markdown|json]

Lists every rule in the catalogue: ID, default severity, category and title (text), the full
reference (markdown; docs/rules.md is generated this way), or the catalogue as JSON.

Examples:
  mlgov rules
  mlgov rules --format markdown > docs/rules.md
`;
