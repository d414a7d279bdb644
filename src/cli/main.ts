#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `rastro` command line: a thin shell over the library. Exit codes: 0 success, 2 bad input
 * (unknown layout, unreadable file, rejected rows), 1 internal failure.
 */
import { Command, Option } from 'commander';
import { runDemo } from './commands/demo.js';
import { runGenerate } from './commands/generate.js';
import { runEval } from './commands/eval.js';
import { runIngest } from './commands/ingest.js';
import { runRules } from './commands/rules.js';
import { runScan } from './commands/scan.js';
import { runStats } from './commands/stats.js';
import { knownLayouts, FORMATS, TEXT_ENCODINGS } from '../ingest/index.js';
import { DEFAULT_DB_PATH } from '../store/index.js';
import { GENERATE_FORMATS } from '../scenario/index.js';
import { CliError } from './common.js';

const program = new Command();
program
  .name('rastro')
  .description('Rastro: follow cartel money across bank, remittance, card and crypto flows.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

const formatOption = () => new Option('-f, --format <fmt>', 'input layout').choices(['auto', ...FORMATS]).default('auto');
const encodingOption = () => new Option('--encoding <enc>', 'text encoding of CSV inputs (BOMs are honoured)').choices([...TEXT_ENCODINGS]);

program
  .command('ingest')
  .description('Read transaction files (any known layout) into the store; idempotent, rejects kept.')
  .argument('<files...>', 'input files')
  .addOption(formatOption())
  .option('--mapping <file>', 'column mapping (YAML/JSON) for --format csv')
  .addOption(encodingOption())
  .option('--source <name>', 'id namespace for a single input (default: the file name)')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--rejects <file>', 'where to write rejected rows (default: rastro-data/rejects/<batch>.csv)')
  .option('--json', 'print a machine-readable summary on stdout')
  .option('-q, --quiet', 'no progress bar')
  .addHelpText('after', '\nExamples:\n  rastro ingest HI-Small_Trans.csv\n  rastro ingest --format csv --mapping examples/spei-mapping.yaml examples/spei-transfers.csv --db postgres://localhost/rastro\n')
  .action(runIngest);

program
  .command('stats')
  .description('Counts, date range, currencies, channels and the busiest accounts in the store.')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--top <n>', 'how many top accounts', '10')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  rastro stats --top 20\n')
  .action(runStats);

program
  .command('scan')
  .description('Stream transaction files through the detection engine and write alerts as JSON Lines.')
  .argument('<inputs...>', 'input files')
  .addOption(formatOption())
  .requiredOption('--alerts <out.jsonl>', 'alerts output (rejects go to <out>.rejects.csv)')
  .option('--config <rules.yaml>', 'typology rules')
  .option('--mapping <file>', 'column mapping for --format csv')
  .addOption(encodingOption())
  .option('--db <path|url>', 'also store transactions and alerts')
  .option('--json', 'print a machine-readable summary on stdout')
  .option('-q, --quiet', 'no progress bar')
  .addHelpText('after', '\nExample:\n  rastro scan HI-Small_Trans.csv --alerts alerts.jsonl\n')
  .action(runScan);

program
  .command('eval')
  .description('Score alerts against ground-truth labels: precision, recall, F1 per transaction and account, recall per scheme and attempt.')
  .requiredOption('--alerts <alerts.jsonl>', 'alerts written by rastro scan')
  .requiredOption('--truth <files...>', 'labelled data: IBM *_Trans.csv, AMLSim transactions.csv/tx.csv/accounts.csv/alert_accounts.csv/alerts.csv, ...')
  .option('--patterns <file>', 'IBM AMLworld *_Patterns.txt: scheme and attempt of each *_Trans.csv row')
  .addOption(new Option('-f, --format <fmt>', 'truth layout').choices(['auto', 'ibm-aml', 'amlsim', 'csv']).default('auto'))
  .option('--mapping <file>', 'column mapping with a label column, for --format csv (e.g. PaySim isFraud)')
  .addOption(encodingOption())
  .option('--attempt-coverage <fraction>', 'share of an attempt\'s transactions alerts must cover to detect it', '0.5')
  .option('--json', 'print the report as JSON')
  .option('--out <report.json>', 'also write the JSON report to this file')
  .option('-q, --quiet', 'no progress bar')
  .addHelpText(
    'after',
    '\nExamples:\n  rastro eval --alerts alerts.jsonl --truth HI-Small_Trans.csv --patterns HI-Small_Patterns.txt\n' +
      '  rastro eval --alerts alerts.jsonl --truth transactions.csv accounts.csv alert_accounts.csv --json\n',
  )
  .action(runEval);

program
  .command('rules')
  .description('Print the effective detection rules (defaults, or a rules file over them) and check the file.')
  .option('--config <rules.yaml>', 'rules file (YAML or JSON) to validate and overlay on the defaults')
  .option('--json', 'print JSON instead of YAML')
  .addHelpText('after', '\nExamples:\n  rastro rules > my-rules.yaml\n  rastro rules --config my-rules.yaml\n')
  .action(runRules);

program
  .command('generate')
  .description('Write a synthetic world: a benign economy with embedded, labelled laundering attempts (deterministic for a seed).')
  .requiredOption('--out <dir>', 'output directory (Trans.csv, Patterns.txt, accounts.csv, world.json)')
  .option('--accounts <n>', 'accounts in the benign world', '10000')
  .option('--days <n>', 'length of the period in days', '90')
  .option('--seed <n>', 'random seed (same seed, same bytes)', '1')
  .addOption(new Option('--format <fmt>', 'output layout').choices([...GENERATE_FORMATS]).default('ibm-aml'))
  .option('--start <date>', 'first day (UTC, YYYY-MM-DD)', '2022-09-01')
  .option('--embed-patterns <file>', 'IBM AMLworld *_Patterns.txt whose attempts are embedded in the last third of the period')
  .option('--embed-repeat <k>', 'embed each attempt k times (different accounts and times)', '1')
  .option('--json', 'print a machine-readable summary on stdout')
  .option('-q, --quiet', 'no progress bar')
  .addHelpText(
    'after',
    '\nExample:\n  rastro generate --accounts 20000 --days 120 --seed 1 --embed-patterns LI-Small_Patterns.txt --embed-repeat 5 --out world/\n  rastro scan world/Trans.csv --alerts alerts.jsonl\n',
  )
  .action(runGenerate);

program
  .command('formats')
  .description('List the input layouts Rastro reads.')
  .action(() => {
    process.stdout.write(`${knownLayouts()}\n  csv       any delimited file, with --mapping <file> (see examples/spei-mapping.yaml)\n`);
  });

program
  .command('demo')
  .description('The main job on the embedded default: load the bundled examples, generate a world with known laundering, scan it into ./rastro-data and report what was found against the truth.')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--accounts <n>', 'accounts in the generated world (≈ 70 transactions each over 120 days)', '14000')
  .option('--days <n>', 'days in the generated world', '120')
  .option('--seed <n>', 'seed of the generated world', '1')
  .option('--no-world', 'only load the bundled examples')
  .addHelpText('after', '\nExample:\n  rastro demo\n')
  .action(runDemo);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(2);
  if (err instanceof CliError || (err as { exitCode?: number }).exitCode === 2) {
    process.stderr.write(`rastro: ${(err as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(`rastro: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
