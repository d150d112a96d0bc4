import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { SecretsAnalyzer } from './SecretsAnalyzer';

/** Credential search over the project's text files (notebooks are searched by their reader). */
export const SECRET_ANALYZERS: ProjectAnalyzer[] = [new SecretsAnalyzer()];

export { detectSecrets, type SecretMatch } from './detectSecrets';
