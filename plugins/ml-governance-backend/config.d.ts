import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** ML Governance: scans of ML artifacts and sources, release decisions and risk acceptance. */
  mlGovernance?: {
    /**
     * When the scan round runs (one replica at a time): catalog sync, marking entities due, the
     * acceptance expiry sweep, abandoned runs and the decision history. Default: every 30 minutes,
     * 5-minute timeout, 30-second initial delay. The timeout bounds how long a replica that died holds
     * the round; entities are protected by leases (`scanning.leaseSeconds`), not by this timeout.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Scans uploaded from CI (`mlgov scan --report-to`, POST /entities/.../ci-scans). */
    ciResults?: {
      /**
       * The scheduled sweep skips an entity whose last CI upload is younger than this; CI is then
       * the entity's scanner. A Backstage duration (`{ hours: 24 }`) or ISO 8601 (`PT24H`).
       * Default 24 hours; `{ seconds: 0 }` never skips. Manual rescans are never skipped.
       */
      freshFor?: HumanDuration | string;
    };
    /** Dashboard counters (maintained on write; docs/scaling.md). */
    counters?: {
      /**
       * Rebuild every counter from the findings and entities tables when the plugin starts (the
       * repair path, e.g. after rows were edited by hand or restored without the counter tables).
       * Default false; safe on several replicas (one transaction, locked rows).
       */
      recountOnStartup?: boolean;
    };
    /** Entities one replica scans at the same time. Default 2. */
    concurrency?: number;
    /**
     * Named policies in the scanner's policy-file shape (`fail_on`, `ticket_on`, `enforce_safetensors`,
     * `rules`, `allow`, `ignore_paths`, `limits`, `trusted_globals`, `pinned_hashes`…; see
     * packages/scanner/src/policy/types.ts). `default` applies to every entity; an entity picks another
     * with the `ml-governance.io/policy` annotation. An unknown name fails the entity's scan instead of
     * silently falling back. Example: `{ default: { fail_on: high }, strict: { fail_on: medium, enforce_safetensors: true } }`.
     */
    policies?: {
      [name: string]: {
        /** Findings at or above this severity block a release. */
        fail_on?: 'critical' | 'high' | 'medium' | 'low' | 'info';
        /** Findings at or above this severity (and below fail_on) open a ticket. */
        ticket_on?: 'critical' | 'high' | 'medium' | 'low' | 'info';
        /** Any pickle-based model blocks. */
        enforce_safetensors?: boolean;
        /** Other keys of the policy format are passed through to the scanner's policy parser. */
        [key: string]: unknown;
      };
    };
    /** Group (or user) entity refs notified of new acceptance requests, e.g. `group:default/ml-security`. */
    approvers?: string[];
    acceptance?: {
      /** Longest time an acceptance may be requested for, in days. Default 180. */
      maxDays?: number;
      /** An "expires soon" reminder goes out this many days before expiry, once. Default 14. */
      reminderDays?: number;
    };
    reports?: {
      /** When the stale-import report is generated. Default: 06:00 UTC on the first day of each quarter. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Rule IDs whose findings are "risky dependency declared but not imported". Default `SOURCE-STALE-DEPENDENCY`. */
      staleDependencyRules?: string[];
      /** Rule IDs whose findings are "risky import not declared". Default `SOURCE-UNDECLARED-IMPORT`. */
      undeclaredImportRules?: string[];
      /** "A quarter" for the report (findings open longer, acceptances expiring within), in days. Default 90. */
      longOpenDays?: number;
    };
    scanning?: {
      /**
       * Directories `file:` targets may lie under (after resolving symlinks), relative to the backend's
       * working directory. Empty (the default) disables `file:` targets; `url:` targets go through the
       * configured integrations only.
       */
      allowedFileRoots?: string[];
      /**
       * How long, in seconds, a replica's claim (lease) on an entity it scans lasts unless renewed.
       * The replica renews it every third of this while it scans; one that dies holds its entities
       * for at most this long before another replica takes them over (manual rescans included).
       * Every replica also looks for due entities once per lease period. Default 30, 1 to 3600.
       */
      leaseSeconds?: number;
      /**
       * Entities one replica claims per claim transaction. Quick batches double the next one (up to
       * 200); slow ones go back to this size. Default 5 × `concurrency`, 1 to 500.
       */
      claimBatchSize?: number;
      /** Overrides of the scanner's resource limits (ScanLimits names); policies may override further. */
      limits?: {
        maxPickleBytes?: number;
        maxPickleOps?: number;
        maxDepth?: number;
        maxEntries?: number;
        maxEntryBytes?: number;
        maxTotalBytes?: number;
        maxCompressionRatio?: number;
        maxTextBytes?: number;
        maxHeaderBytes?: number;
        fileTimeoutMs?: number;
        maxFiles?: number;
        /** Deepest nesting of pickle containers before a PICKLE-STRUCT finding (default 1000). */
        maxPickleNesting?: number;
      };
    };
    /**
     * Remote sources for `hf://`, Hub model URLs, `s3://`, `gs://`, `az://` and `mlflow://` targets. A source without a
     * section is off. Only the hosts named here are contacted; credentials live here, never in
     * annotations. Files are read by HTTP range requests (headers, not weights).
     */
    sources?: {
      /** Range requests in flight at once per scanned target (1–64). Default 4. */
      parallelRequests?: number;
      /**
       * Container registries for `ml-governance.io/image` references. Only the registries listed
       * are contacted, with the credentials given here (never from the catalog); a tag is resolved
       * to its manifest digest, which is what the scan records and pins.
       */
      registries?: Array<{
        /** Registry host as written in image references: `ghcr.io`, `registry.internal:5000`. */
        host: string;
        /** User name for the registry's Basic or token auth. */
        username?: string;
        /**
         * Password or access token for the registry.
         * @visibility secret
         */
        password?: string;
        /** Plain HTTP instead of HTTPS (loopback hosts use it anyway). Default false. */
        insecure?: boolean;
        /**
         * Token realms and blob-storage hosts the registry redirects to (exact, or `*.suffix`);
         * such hosts must resolve to public addresses. Credentials are never sent to them.
         */
        additionalHosts?: string[];
        /** Per request, in milliseconds. Default 30000. */
        timeoutMs?: number;
        /** Cosign signatures on the manifest digest (`sha256-<hex>.sig`). */
        signatures?: {
          /** An image without a valid signature by one of the keys blocks. Default false. */
          required?: boolean;
          /** PEM public keys (`cosign.pub`) whose signatures are trusted. */
          publicKeys?: string[];
        };
      }>;
      huggingface?: {
        /** Hub origin. Default `https://huggingface.co`. */
        endpoint?: string;
        /**
         * Token for private and gated repositories, sent to the endpoint's origin only.
         * @visibility secret
         */
        token?: string;
        /**
         * Hosts file reads may be redirected to (`host[:port]` or `*.domain`). Default: the public
         * Hub's CDNs (`*.huggingface.co`, `*.hf.co`) when the endpoint is the public Hub, else none.
         */
        redirectHosts?: string[];
        /** Per request, milliseconds. Default 30000. */
        timeoutMs?: number;
        /** Retries on 429, 5xx, resets and timeouts (Retry-After honoured). Default 4. */
        retries?: number;
      };
      s3?: {
        region?: string;
        /** S3-compatible endpoint (MinIO, Ceph, R2); implies path-style addressing. */
        endpoint?: string;
        forcePathStyle?: boolean;
        /** Without a key pair the AWS SDK's standard credential chain is used. */
        accessKeyId?: string;
        /** @visibility secret */
        secretAccessKey?: string;
        /** @visibility secret */
        sessionToken?: string;
        /** When set, only these buckets may be read. */
        allowedBuckets?: string[];
        timeoutMs?: number;
      };
      mlflow?: {
        /** Tracking server with the Model Registry and (for `mlflow-artifacts:` versions) the artifact proxy. */
        trackingUri: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        timeoutMs?: number;
        retries?: number;
      };
      /** Google Cloud Storage (`gs://<bucket>/<prefix>`) through the JSON API. */
      gcs?: {
        /**
         * JSON API origin. Default `https://storage.googleapis.com`; an emulator's (fake-gcs-server)
         * for tests. Only this host is contacted.
         */
        endpoint?: string;
        /**
         * OAuth 2.0 access token (e.g. from `gcloud auth print-access-token` or a token broker);
         * without one only public buckets are readable.
         * @visibility secret
         */
        token?: string;
        /**
         * Instead of a token: a service-account key, the JSON of its key file (e.g.
         * `$file: ./gcs-key.json` or an environment substitution). Access tokens are minted from it
         * (JWT-bearer grant, read-only scope) at the key's `token_uri`.
         * @visibility secret
         */
        serviceAccountKey?: string;
        /** When set, only these buckets may be read (annotations choose the bucket). */
        allowedBuckets?: string[];
        /** Per request, milliseconds. Default 30000. */
        timeoutMs?: number;
        /** Retries on 429, 5xx, resets and timeouts (Retry-After honoured). Default 4. */
        retries?: number;
      };
      /** Azure Blob Storage (`az://<account>/<container>/<prefix>`, `https://<account>.blob.core.windows.net/…`). */
      azure?: {
        /**
         * The storage accounts that may be read, by name; an account not listed is unreachable. Each
         * takes a Shared Key or a SAS token (neither: anonymous reads of a public container).
         */
        accounts?: {
          [name: string]: {
            /**
             * The account key (base64); requests are signed with Shared Key.
             * @visibility secret
             */
            accountKey?: string;
            /**
             * A SAS token with read and list permissions (`sv=…&sig=…`).
             * @visibility secret
             */
            sasToken?: string;
            /**
             * Blob service endpoint. Default `https://<name>.blob.core.windows.net`; Azurite:
             * `http://127.0.0.1:10000/<name>`. Only this host is contacted for the account.
             */
            endpoint?: string;
          };
        };
        /** When set, only these containers may be read. */
        allowedContainers?: string[];
        /** Per request, milliseconds. Default 30000. */
        timeoutMs?: number;
        /** Retries on 429, 5xx, resets and timeouts (Retry-After honoured). Default 4. */
        retries?: number;
      };
    };
    /**
     * The model-API prober (docs/model-apis.md): third-party model APIs declared on catalog
     * entities are probed on a schedule, compared with their own baseline, and re-quarantined on drift.
     */
    modelApis?: {
      /** Default: true when at least one provider is configured. */
      enabled?: boolean;
      /** How often every declared API is probed. Default hourly, 15-minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Providers by id (lower-case letters, digits, `.`, `_`, `-`); entities name one in `ml-governance.io/model-api`. */
      providers?: {
        [id: string]: {
          /** Only `openai-compatible` (chat completions and embeddings). */
          type?: 'openai-compatible';
          /** http(s) base URL without credentials, e.g. `https://api.openai.com/v1`. */
          baseUrl: string;
          /**
           * Bearer token for the provider.
           * @visibility secret
           */
          apiKey?: string;
          /** Name of an environment variable holding the token instead; start-up fails if it is unset. */
          tokenEnv?: string;
          /** Token-bucket rate limit. Default 60, 1..100000. */
          requestsPerMinute?: number;
          /** Per request, milliseconds. Default 30000, 100..600000. */
          timeoutMs?: number;
          /** A response larger than this is an error, not read further. Default 1 MiB, 1 KiB..64 MiB. */
          maxResponseBytes?: number;
          /** Retries on 429/5xx (Retry-After honoured). Default 2, 0..10. */
          maxRetries?: number;
        };
      };
      baseline?: {
        /** Healthy runs the baseline is computed over. Default 10, 2..500. */
        window?: number;
        /** Healthy runs needed before drift is judged. Default 5, 2..window. */
        minRuns?: number;
        /** A run further than this many standard deviations from the baseline alerts. Default 3. */
        thresholdSigma?: number;
        /** Smallest standard deviations used, so a perfectly stable series does not alert on noise. */
        stdDevFloor?: {
          /** Default 50. */
          latencyMs?: number;
          /** Default 0.02. */
          similarity?: number;
          /** Default 0.05. */
          refusalRate?: number;
        };
      };
      /** How answers are compared with reference answers. Default lexical. */
      similarity?:
        | { type: 'lexical' }
        | {
            type: 'embedding';
            /** A configured provider id that serves embeddings. */
            provider: string;
            model: string;
          };
      /** Most probes a suite may hold. Default 50, 1..1000. */
      maxProbes?: number;
      /** Largest system-prompt or probe-suite document read. Default 256 KiB, 1 KiB..16 MiB. */
      maxDocumentBytes?: number;
    };
  };
}
