import { stringify } from 'yaml';
import { defaultRules, loadRules, RulesError, typologyCatalogue } from '../../detect/index.js';
import { CliError } from '../common.js';

export interface RulesCliOptions {
  config?: string;
  json?: boolean;
}

/** Print the effective rules: defaults overlaid with the given file, every typology and its parameters. */
export async function runRules(options: RulesCliOptions): Promise<void> {
  let rules;
  try {
    rules = options.config ? await loadRules(options.config) : defaultRules();
  } catch (err) {
    if (err instanceof RulesError) throw new CliError(err.message);
    throw err;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    return;
  }
  const header = [
    `# Effective Rastro rules${options.config ? ` (${options.config} over the defaults)` : ' (defaults)'}`,
    '# Typologies:',
    ...typologyCatalogue().map((t) => `#   ${t.name.padEnd(22)} ${t.summary}`),
    '',
  ].join('\n');
  process.stdout.write(`${header}${stringify(rules)}`);
}
