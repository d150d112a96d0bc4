import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import type { DependencyFacts } from '../engine/facts';
import { riskyCallFilter, type CallFilter } from './callFilter';
import {
  allowedInHardenedModule,
  emitCallSignals,
  hardenedLoaderCall,
} from './callSignals';
import { classifyCall } from './classifyCall';
import { distributionForImport } from './data/distributions';
import { THIRD_PARTY_FAMILIES } from './data/riskyCalls';
import { findPackage, readDependencyFacts } from './dependencyFacts';
import {
  FACT_PYTHON_IMPORTS,
  type PythonImport,
  type PythonImportFacts,
} from './facts';
import { readInstalledDistributions } from './installedDistributions';
import {
  describePythonLayout,
  hardenedModuleOf,
  type ThirdPartyFile,
} from './projectLayout';
import {
  parsePythonFile,
  preparePythonFile,
  reportUnreadable,
  type PreparedText,
} from './pythonFileReading';
import {
  firstPartyPrefilter,
  isAllowlisted,
  THIRD_PARTY_PREFILTER,
} from './pythonFileSelection';
import { readAhead } from './readAhead';

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
      if (error !== undefined) reportUnreadable(ctx, file.path, error, true);
      const source = await preparePythonFile(
        ctx,
        file.path,
        text,
        true,
        prefilter,
      );
      if (!source || !prefilter.test(source.text)) continue;
      const syntax = await parsePythonFile(
        ctx,
        file.path,
        source.text,
        wantCall,
      );
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
      emitCallSignals(ctx, file.path, source, syntax.calls, call => {
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
      if (error !== undefined) reportUnreadable(ctx, file.path, error, false);
      const source = await preparePythonFile(
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
    const syntax = await parsePythonFile(
      ctx,
      file.path,
      source.text,
      context.wantCall,
    );
    if (!syntax) return;
    const declared = findPackage(context.dependencies, distribution);
    const version = declared?.version ?? context.installed.get(distribution);
    emitCallSignals(ctx, file.path, source, syntax.calls, call =>
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
}
