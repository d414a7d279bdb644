// Placeholder until the reader lands.
import type { FormatReader } from '../reader.js';

export const pacs008Reader: FormatReader = {
  format: 'iso20022',
  layouts: [],
  detect: () => false,
  // eslint-disable-next-line require-yield
  async *read() {
    throw new Error('iso20022 reader not implemented yet');
  },
};
