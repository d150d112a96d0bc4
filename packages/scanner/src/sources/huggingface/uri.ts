/**
 * A Hub model reference: `hf://org/name[@revision]` or `https://<hub>/org/name[/tree/<revision>]`.
 *
 * @public
 */
export interface HubModelRef {
  repo: string;
  revision: string;
}

const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
/** Branches, tags, `refs/pr/N`, commit SHAs; no `..` so a revision cannot climb out of the API path. */
const REVISION = /^(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

export function parseHubUri(
  uri: string,
  hubOrigin: string,
): HubModelRef | undefined {
  let repoAndRev: string;
  if (uri.startsWith('hf://')) {
    repoAndRev = uri.slice('hf://'.length);
  } else if (uri.startsWith('https://') || uri.startsWith('http://')) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return undefined;
    }
    if (url.origin !== new URL(hubOrigin).origin) return undefined;
    const [org, name, tree, ...rev] = url.pathname
      .replace(/^\/+|\/+$/g, '')
      .split('/');
    if (tree !== undefined && (tree !== 'tree' || rev.length === 0))
      return undefined;
    repoAndRev = `${org}/${name}${
      rev.length ? `@${decodeURIComponent(rev.join('/'))}` : ''
    }`;
  } else {
    return undefined;
  }
  const at = repoAndRev.indexOf('@');
  const repo = at < 0 ? repoAndRev : repoAndRev.slice(0, at);
  const revision = at < 0 ? 'main' : repoAndRev.slice(at + 1);
  const parts = repo.split('/');
  if (parts.length !== 2 || !parts.every(part => NAME_PART.test(part)))
    return undefined;
  if (!REVISION.test(revision)) return undefined;
  return { repo, revision };
}

/** Encodes a repository file path for `/resolve/`, keeping its `/` separators. */
export function encodeRepoPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
