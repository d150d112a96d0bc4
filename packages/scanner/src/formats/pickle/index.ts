import type { FormatReader } from '../../engine/FormatReader';

export const PICKLE_FAMILY_READERS: FormatReader[] = [];
