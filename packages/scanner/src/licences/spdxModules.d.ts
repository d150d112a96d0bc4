// The SPDX helper packages ship no type declarations; these cover the parts we call.
declare module 'spdx-expression-parse' {
  export type SpdxNode =
    | { license: string; plus?: boolean; exception?: string }
    | { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };
  function parse(expression: string): SpdxNode;
  export default parse;
}

declare module 'spdx-correct' {
  function correct(
    identifier: string,
    options?: { upgrade?: boolean },
  ): string | null;
  export default correct;
}

declare module 'spdx-license-ids' {
  const ids: string[];
  export default ids;
}

declare module 'spdx-license-ids/deprecated.json' {
  const ids: string[];
  export default ids;
}
