import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import type { DependencyFacts } from '../engine/facts';
import { PathEscapeError } from '../io/ScanTree';
import { LimitExceededError } from '../engine/errors';
import { matchesAny } from '../engine/glob';
import type { Signal } from '../model/evidence';
import { KNOWN_SYMBOLS, riskyCallFilter, type CallFilter } from './callFilter';
import { classifyCall, type CallObservation } from './classifyCall';
import {
  distributionForImport,
  IMPORT_TO_DISTRIBUTION,
  normaliseDistribution,
  RISKY_DISTRIBUTIONS,
} from './data/distributions';
import { THIRD_PARTY_FAMILIES } from './data/riskyCalls';
import { THIRD_PARTY_ALLOWLIST } from './data/thirdPartyAllowlist';
import { findPackage, readDependencyFacts } from './dependencyFacts';
import {
  FACT_PYTHON_IMPORTS,
  type PythonImport,
  type PythonImportFacts,
} from './facts';
import {
  describePythonLayout,
  hardenedModuleOf,
  type InstalledDistribution,
  type ThirdPartyFile,
} from './projectLayout';
import { parsePython } from './pythonParser';
import {
  readPythonModule,
  type CallSite,
  type ModuleSyntax,
} from './pythonModule';
import { readAhead } from './readAhead';
import { prepareSource, type PreparedSource } from './sourceText';

/** Words a first-party file must contain to be worth parsing: loaders, risky modules, code-from-strings. */
const FIRST_PARTY_WORDS = [
  'pickle',
  'dill',
  'joblib',
  'marshal',
  'shelve',
  'torch',
  'numpy',
  'pandas',
  'yaml',
  'keras',
  'tensorflow',
  'saved_model',
  'transformers',
  'trust_remote_code',
  'safe_mode',
  'allow_pickle',
  '__import__',
  'import_module',
  'resolve_name',
  'locate',
  'getattr',
  'exec',
  'eval',
  // Run-time installs (`pip install` through subprocess/os.system, `pip.main`).
  'install',
];
/** Third-party files are only checked for loaders, so their prefilter is narrower (and most files skip parsing). */
const THIRD_PARTY_PREFILTER =
  /pickle|dill|joblib|marshal|shelve|allow_pickle|yaml|safe_mode|enable_unsafe_deserialization|trust_remote_code|saved_model|torch\.load|jit\.load|serialization/;

const LOADER_NAME =
  /(^|_)(load|loads|read|restore|unpickle|deserialize|deserialise|from_pretrained)/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds risky calls in the project's Python source (deserialisation, unsafe model loading, code
 * from strings, obfuscated access) with a real parser and alias resolution, and risky loader
 * calls inside installed third-party packages. Publishes the project's imports as
 * `python.imports` (see `facts.ts`).
 *
 * Options read: `hardenedModules` (calls through, and code inside, these modules are allowed and
 * reported as info).
 */
export class PythonSourceAnalyzer implements ProjectAnalyzer {
  readonly id = 'python-source';

  async analyze(ctx: ProjectContext): Promise<void> {
    const dependencies = readDependencyFacts(ctx.facts);
    const layout = describePythonLayout(ctx.files);
    const hardened = (ctx.options.hardenedModules ?? []).filter(
      module => typeof module === 'string' && module.length > 0,
    );
    const installed = await readInstalledDistributions(ctx, layout.installed);
    const importToDistribution = {
      ...installed.importToDistribution,
      ...dependencies?.importToDistribution,
    };
    const torchVersion =
      findPackage(dependencies, 'torch')?.version ??
      installed.versions.get('torch');

    const prefilter = firstPartyPrefilter(hardened, importToDistribution);
    const wantCall = riskyCallFilter(hardened);
    const imports: PythonImport[] = [];
    let parsedFiles = 0;
    for await (const { item: file, value: text, error } of readAhead(
      layout.firstParty,
      source => ctx.readText(source.path),
    )) {
      if (error !== undefined)
        this.reportUnreadable(ctx, file.path, error, true);
      const source = await this.prepare(ctx, file.path, text, true, prefilter);
      if (!source || !prefilter.test(source.text)) continue;
      const syntax = await this.parse(ctx, file.path, source.text, wantCall);
      if (!syntax) continue;
      parsedFiles++;
      for (const site of syntax.imports) {
        const { guard, ...rest } = site;
        imports.push({
          ...rest,
          topLevel: site.module.split('.')[0],
          path: file.path,
          guard: guard?.text,
        });
      }
      const insideHardened = hardenedModuleOf(file.path, hardened);
      const serving =
        ctx.options.servingProject === true ||
        file.servingPath ||
        syntax.definesRoutes;
      this.emitAll(ctx, file.path, source, syntax.calls, call => {
        const observations = classifyCall(call, { torchVersion, serving });
        if (insideHardened)
          return observations.map(observation =>
            allowedInHardenedModule(observation, insideHardened),
          );
        const through = hardenedLoaderCall(call.symbol, hardened);
        return through ? [...observations, through] : observations;
      });
    }

    const facts: PythonImportFacts = {
      imports,
      firstPartyFiles: layout.firstParty.length,
      parsedFiles,
      prefiltered: true,
    };
    ctx.facts.set(FACT_PYTHON_IMPORTS, facts);

    const context = {
      torchVersion,
      importToDistribution,
      dependencies,
      installed: installed.versions,
      wantCall,
    };
    const candidates = layout.thirdParty.filter(
      file => !isAllowlisted(file, importToDistribution),
    );
    for await (const { item: file, value: text, error } of readAhead(
      candidates,
      source => ctx.readText(source.path),
    )) {
      if (error !== undefined)
        this.reportUnreadable(ctx, file.path, error, false);
      const source = await this.prepare(
        ctx,
        file.path,
        text,
        false,
        THIRD_PARTY_PREFILTER,
      );
      if (source && THIRD_PARTY_PREFILTER.test(source.text))
        await this.analyzeThirdParty(ctx, file, source, context);
    }
  }

  private async analyzeThirdParty(
    ctx: ProjectContext,
    file: ThirdPartyFile,
    source: PreparedText,
    context: {
      torchVersion?: string;
      importToDistribution: Record<string, string>;
      dependencies?: DependencyFacts;
      installed: ReadonlyMap<string, string>;
      wantCall: CallFilter;
    },
  ) {
    const distribution = distributionForImport(
      file.topLevel,
      context.importToDistribution,
    );
    const syntax = await this.parse(
      ctx,
      file.path,
      source.text,
      context.wantCall,
    );
    if (!syntax) return;
    const declared = findPackage(context.dependencies, distribution);
    const version = declared?.version ?? context.installed.get(distribution);
    this.emitAll(ctx, file.path, source, syntax.calls, call =>
      classifyCall(call, { torchVersion: context.torchVersion, serving: false })
        .filter(observation => THIRD_PARTY_FAMILIES.has(observation.family))
        .map(observation => ({
          ...observation,
          ruleId: 'SOURCE-THIRD-PARTY-DESERIALIZATION',
          severity: observation.disablesSafety ? 'medium' : 'low',
          message: `${distribution}${
            version ? ` ${version}` : ''
          } (installed package): ${observation.message}`,
          details: {
            ...observation.details,
            firstPartyRule: observation.ruleId,
            package: distribution,
            ...(version ? { version } : {}),
          },
          dependencyPath: declared?.paths[0],
        })),
    );
  }

  /** Emits one signal per observation, keyed by symbol + call text + occurrence so line shifts keep fingerprints. */
  private emitAll(
    ctx: ProjectContext,
    path: string,
    source: PreparedText,
    calls: CallSite[],
    observe: (
      call: CallSite,
    ) => Array<CallObservation & { dependencyPath?: string[] }>,
  ) {
    const occurrences = new Map<string, number>();
    for (const call of calls) {
      for (const observation of observe(call)) {
        const base = `${observation.symbol}|${call.normalisedText}`;
        const occurrence =
          occurrences.get(`${observation.ruleId}|${base}`) ?? 0;
        occurrences.set(`${observation.ruleId}|${base}`, occurrence + 1);
        const signal: Signal = {
          ruleId: observation.ruleId,
          message: call.guard
            ? `${observation.message} (guarded by \`${call.guard.text}\`)`
            : observation.message,
          location: { path, line: call.line, column: call.column },
          evidence: {
            symbol: observation.symbol,
            snippet: call.snippet,
            guard: call.guard?.text,
            guardKind: call.guard?.kind,
            dependencyPath: observation.dependencyPath,
            // The snippet shows the NFKC form CPython runs, not the look-alike characters written.
            identifiersNormalised: source.identifiersNormalised || undefined,
            ...observation.details,
          },
          key: occurrence === 0 ? base : `${base}#${occurrence}`,
          severity: observation.severity,
        };
        ctx.emit(signal);
      }
    }
  }

  /**
   * The text CPython would run (see `sourceText.ts`), or undefined when there is none to analyse:
   * unreadable, or in a codec not decoded here, which is a finding rather than a UTF-8 guess.
   */
  private async prepare(
    ctx: ProjectContext,
    path: string,
    utf8: string | undefined,
    firstParty: boolean,
    prefilter: RegExp,
  ): Promise<PreparedText | undefined> {
    if (utf8 === undefined) return undefined;
    let source: PreparedSource;
    try {
      source = await prepareSource(utf8, () => readBytes(ctx, path), prefilter);
    } catch (error) {
      this.reportUnreadable(ctx, path, error, firstParty);
      return undefined;
    }
    if (source.kind === 'text') return source;
    const { declaration } = source;
    ctx.emit({
      ruleId: 'SOURCE-UNDECODED-ENCODING',
      message: `Python source not analysed: it declares the ${declaration.name} encoding, which CPython decodes before it runs the file and this scanner does not; read as UTF-8 its code could differ from what runs`,
      location: { path, line: declaration.line },
      evidence: { encoding: declaration.name, snippet: declaration.text },
      key: `encoding:${declaration.name.toLowerCase()}`,
    });
    return undefined;
  }

  private reportUnreadable(
    ctx: ProjectContext,
    path: string,
    error: unknown,
    firstParty: boolean,
  ) {
    if (error instanceof PathEscapeError) return; // the scan tree reported it
    const tooLarge = error instanceof LimitExceededError;
    ctx.emit({
      // An oversized file of the project's own could hide anything: that is a scan limit, not a shrug.
      ruleId: tooLarge && firstParty ? 'SCAN-LIMIT' : 'SOURCE-PARSE-ERROR',
      message: `Python source not analysed: ${
        (error as Error)?.message ?? String(error)
      }`,
      location: { path },
      evidence: tooLarge ? { limit: 'maxTextBytes' } : {},
      key: tooLarge ? 'python-source:maxTextBytes' : 'read',
    });
  }

  private async parse(
    ctx: ProjectContext,
    path: string,
    text: string,
    wantCall: CallFilter,
  ): Promise<ModuleSyntax | undefined> {
    let tree;
    try {
      tree = await parsePython(text);
    } catch (error) {
      ctx.emit(
        parseError(
          path,
          `the Python parser failed: ${(error as Error).message}`,
        ),
      );
      return undefined;
    }
    if (!tree) {
      ctx.emit(
        parseError(path, 'the Python parser gave up within its time budget'),
      );
      return undefined;
    }
    try {
      return readPythonModule(tree, text, {
        knownSymbols: KNOWN_SYMBOLS,
        wantCall,
      });
    } catch (error) {
      // One hostile file must not end the analysis of the others.
      ctx.emit(
        parseError(
          path,
          `the Python reader failed: ${(error as Error).message}`,
        ),
      );
      return undefined;
    } finally {
      tree.delete();
    }
  }
}

type PreparedText = Extract<PreparedSource, { kind: 'text' }>;

/** The raw bytes of a file whose declared codec must be decoded from them (latin-1 family). */
async function readBytes(
  ctx: ProjectContext,
  path: string,
): Promise<Uint8Array> {
  const source = await ctx.openSource(path);
  try {
    if (source.size > ctx.limits.maxTextBytes)
      throw new LimitExceededError(
        'maxTextBytes',
        `${path} is ${source.size} bytes, over the ${ctx.limits.maxTextBytes}-byte text limit`,
      );
    return await source.read(0, source.size);
  } finally {
    await source.close();
  }
}

/** Library internals listed in the allowlist are not even read. */
function isAllowlisted(
  file: ThirdPartyFile,
  importToDistribution: Record<string, string>,
): boolean {
  const distribution = distributionForImport(
    file.topLevel,
    importToDistribution,
  );
  const globs = THIRD_PARTY_ALLOWLIST.filter(
    entry => entry.package === distribution,
  ).map(entry => entry.path);
  return globs.length > 0 && matchesAny(file.packagePath, globs);
}

function parseError(path: string, reason: string): Signal {
  return {
    ruleId: 'SOURCE-PARSE-ERROR',
    message: `Python source not analysed: ${reason}`,
    location: { path },
    evidence: {},
    key: 'parse',
  };
}

function allowedInHardenedModule(
  observation: CallObservation,
  module: string,
): CallObservation {
  return {
    ...observation,
    ruleId: 'SOURCE-HARDENED-LOADER',
    severity: 'info',
    message: `Allowed inside hardened module ${module} (hardenedModules option): ${observation.message}`,
    details: {
      ...observation.details,
      firstPartyRule: observation.ruleId,
      hardenedModule: module,
    },
  };
}

/** `model_utils.load_estimator(p)`: a loader-named call into a hardened module, recorded as allowed. */
function hardenedLoaderCall(
  symbol: string | undefined,
  hardened: readonly string[],
): CallObservation | undefined {
  const module = symbol
    ? hardened.find(candidate => symbol.startsWith(`${candidate}.`))
    : undefined;
  if (!symbol || !module || !LOADER_NAME.test(symbol.split('.').pop() ?? ''))
    return undefined;
  return {
    ruleId: 'SOURCE-HARDENED-LOADER',
    severity: 'info',
    family: 'hardened-loader',
    symbol,
    disablesSafety: false,
    message: `Allowed: ${symbol} loads through hardened module ${module} (hardenedModules option)`,
    details: { hardenedModule: module },
  };
}

/** The prefilter also knows hardened module names and the import names of risky distributions. */
function firstPartyPrefilter(
  hardened: readonly string[],
  importToDistribution: Record<string, string>,
): RegExp {
  const riskyImports = Object.entries({
    ...IMPORT_TO_DISTRIBUTION,
    ...importToDistribution,
  })
    .filter(
      ([, distribution]) =>
        normaliseDistribution(distribution) in RISKY_DISTRIBUTIONS,
    )
    .map(([name]) => name);
  const words = [
    ...FIRST_PARTY_WORDS,
    ...Object.keys(RISKY_DISTRIBUTIONS),
    ...riskyImports,
    ...hardened,
  ];
  return new RegExp([...new Set(words)].map(escapeRegExp).join('|'));
}

/** Versions and import names of installed distributions (`*.dist-info` folders) in the tree. */
async function readInstalledDistributions(
  ctx: ProjectContext,
  installed: InstalledDistribution[],
) {
  const versions = new Map<string, string>();
  const importToDistribution: Record<string, string> = {};
  for (const distribution of installed) {
    versions.set(distribution.name, distribution.version);
    if (!distribution.topLevelFile) continue;
    try {
      for (const line of (await ctx.readText(distribution.topLevelFile)).split(
        '\n',
      )) {
        const name = line.trim();
        if (/^[A-Za-z_][\w]*$/.test(name))
          importToDistribution[name] = distribution.name;
      }
    } catch {
      // A missing or oversized top_level.txt only costs the name mapping: fall back to the data table.
    }
  }
  return { versions, importToDistribution };
}
