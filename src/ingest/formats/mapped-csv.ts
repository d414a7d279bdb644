// Placeholder until the reader lands.
import type { FormatReader } from '../reader.js';

export const mappedCsvReader: FormatReader = {
  format: 'csv',
  layouts: [],
  detect: () => false,
  // eslint-disable-next-line require-yield
  async *read() {
    throw new Error('csv reader not implemented yet');
  },
};
