import type { FormatReader } from '../../engine/FormatReader';

export const MODEL_FORMAT_READERS: FormatReader[] = [];
