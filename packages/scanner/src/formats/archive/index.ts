import type { FormatReader } from '../../engine/FormatReader';

export const ARCHIVE_READERS: FormatReader[] = [];
