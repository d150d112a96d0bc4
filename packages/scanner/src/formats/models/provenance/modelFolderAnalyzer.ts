import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../../../engine/ProjectAnalyzer';
import { tryParseJson } from '../common/boundedJson';
import { autoMapReferences } from './autoMap';

/** Extensions of files that hold model weights or whole serialised models. */
const WEIGHT_EXTENSIONS =
  /\.(safetensors|bin|pt|pth|ckpt|h5|hdf5|keras|onnx|gguf|ggml|pb|msgpack|npz|pkl|pickle|joblib|tflite|mlmodel|pdparams|nemo)$/i;
/** A folder with these is a Python project whose code is reviewed as source, not shipped model code. */
const PROJECT_MARKERS = [
  'setup.py',
  'pyproject.toml',
  'setup.cfg',
  'requirements.txt',
];
const CONFIG_FILES = [
  'config.json',
  'tokenizer_config.json',
  'processor_config.json',
  'preprocessor_config.json',
];

function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

function inFolder(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

/**
 * Python files in a folder that holds model weights: code a model loader or a colleague will run.
 * A module named by the folder's `auto_map` runs on `from_pretrained(trust_remote_code=True)` and
 * is graded high; other `.py` files are a medium hint (skipped in Python project roots).
 */
export const modelFolderAnalyzer: ProjectAnalyzer = {
  id: 'model-folder',
  async analyze(ctx: ProjectContext) {
    const files = new Set(ctx.files);
    const weightFolders = new Set(
      ctx.files.filter(f => WEIGHT_EXTENSIONS.test(f)).map(folderOf),
    );
    for (const folder of weightFolders) {
      const referenced = await autoMapModules(ctx, folder, files);
      const isProject = PROJECT_MARKERS.some(marker =>
        files.has(inFolder(folder, marker)),
      );
      const prefix = folder ? `${folder}/` : '';
      for (const path of ctx.files) {
        if (!path.startsWith(prefix) || !path.endsWith('.py')) continue;
        const fileName = path.slice(prefix.length);
        const byAutoMap = referenced.get(fileName);
        if (byAutoMap) {
          ctx.emit({
            ruleId: 'MODEL-CODE-BESIDE-WEIGHTS',
            severity: 'high',
            message: `${fileName} ships with the model and is referenced by ${byAutoMap}: it runs on from_pretrained(..., trust_remote_code=True)`,
            location: { path },
            evidence: { moduleFile: fileName, referencedBy: byAutoMap },
            key: fileName,
          });
        } else if (!isProject && !fileName.includes('/')) {
          ctx.emit({
            ruleId: 'MODEL-CODE-BESIDE-WEIGHTS',
            message: `${fileName} sits beside model weights in ${
              folder || 'the scan root'
            }; review it like application code before anyone runs it`,
            location: { path },
            evidence: { moduleFile: fileName },
            key: fileName,
          });
        }
      }
    }
  },
};

/** Module files (relative to the folder) named by `auto_map` entries in the folder's configs. */
async function autoMapModules(
  ctx: ProjectContext,
  folder: string,
  files: Set<string>,
): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const name of CONFIG_FILES) {
    const path = inFolder(folder, name);
    if (!files.has(path)) continue;
    let text: string;
    try {
      text = await ctx.readText(path);
    } catch {
      continue; // too large: the config reader reports it
    }
    for (const ref of autoMapReferences(tryParseJson(text))) {
      if (!ref.repository)
        modules.set(ref.moduleFile, `auto_map ${ref.autoClass} in ${name}`);
    }
  }
  return modules;
}
