// Placeholder until the reader lands.
import type { FormatReader } from '../reader.js';

export const goamlReader: FormatReader = {
  format: 'goaml',
  layouts: [],
  detect: () => false,
  // eslint-disable-next-line require-yield
  async *read() {
    throw new Error('goaml reader not implemented yet');
  },
};
