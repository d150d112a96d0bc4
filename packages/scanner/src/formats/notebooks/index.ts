import type { FormatReader } from '../../engine/FormatReader';
import { notebookReader } from './reader';

/** Jupyter notebooks (`.ipynb`, sniffed by content). */
export const NOTEBOOK_READERS: FormatReader[] = [notebookReader];
