// Placeholder until the reader lands.
import type { FormatReader } from '../reader.js';

export const amlsimReader: FormatReader = {
  format: 'amlsim',
  layouts: [],
  detect: () => false,
  // eslint-disable-next-line require-yield
  async *read() {
    throw new Error('amlsim reader not implemented yet');
  },
};
