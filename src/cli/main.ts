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
import { runOpenApi, runServe } from './commands/serve.js';
import { runUserAdd } from './commands/user.js';
import { runAuditVerify } from './commands/audit.js';
import { runScreenDiff, runScreenNames, runScreenPairs } from './commands/screen.js';
import { runCryptoAddress, runCryptoCluster, runCryptoIngest, runCryptoPeels, runCryptoTagsLoad, runCryptoTrace } from './commands/crypto.js';
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
  .option('--since <time>', 'score only alerts starting at or after this ISO 8601 date or time (e.g. after the engine\'s warm-up)')
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
  .description('Write a synthetic world: a benign economy with labelled laundering schemes from the field and the AMLSim/AMLworld shapes (deterministic for a seed).')
  .requiredOption('--out <dir>', 'output directory (transactions, truth files, parties.csv, crypto.jsonl, world.json; see docs/scenario.md)')
  .option('--accounts <n>', 'accounts in the benign world', '10000')
  .option('--days <n>', 'length of the period in days', '90')
  .option('--seed <n>', 'random seed (same seed, same bytes)', '1')
  .addOption(new Option('--format <fmt>', 'output layout').choices([...GENERATE_FORMATS]).default('ibm-aml'))
  .option('--start <date>', 'first day (UTC, YYYY-MM-DD)', '2022-09-01')
  .option('--embed-patterns <file>', 'IBM AMLworld *_Patterns.txt whose attempts are embedded in the last third of the period')
  .option('--embed-repeat <k>', 'embed each attempt k times (different accounts and times)', '1')
  .option('--schemes <list>', 'schemes to plant, comma-separated names or groups (all, field, shapes); default: all')
  .option('--no-schemes', 'a benign world (IBM attempts still embedded with --embed-patterns)')
  .option('--scheme-scale <x>', 'multiply every scheme\'s number of instances', '1')
  .option('--json', 'print a machine-readable summary on stdout')
  .option('-q, --quiet', 'no progress bar')
  .addHelpText(
    'after',
    '\nSchemes: mule-network, structuring, remittance-splitting, mirror-swap, transaction-laundering, crypto-ramp,\n' +
      'sanctioned-parties, fan-in, fan-out, cycle, scatter-gather, gather-scatter, bipartite, stack.\n' +
      '\nExamples:\n  rastro generate --accounts 60000 --days 120 --seed 1 --out world/\n  rastro scan world/Trans.csv --alerts alerts.jsonl\n' +
      '  rastro eval --alerts alerts.jsonl --truth world/Trans.csv world/accounts.csv --patterns world/Patterns.txt\n' +
      '  rastro generate --accounts 20000 --days 120 --no-schemes --embed-patterns LI-Small_Patterns.txt --embed-repeat 5 --out ibm/\n' +
      '  rastro generate --format rastro --schemes field --out w/ && rastro scan --format csv --mapping w/rastro-mapping.yaml w/transactions.csv --alerts a.jsonl\n',
  )
  .action(runGenerate);

program
  .command('screen')
  .description('Sanctions and watchlist screening: score name pairs, screen names and crypto addresses against OFAC, UN and custom lists.')
  .addCommand(
    new Command('pairs')
      .description('Score each row of a CSV with name1,name2[,schema]: the same rows and columns plus score (0..1) and match.')
      .argument('<pairs.csv>', 'pairs to score (- for standard input)')
      .requiredOption('--out <scores.csv>', 'output CSV')
      .option('--threshold <t>', 'score at or above which match is true (default: the documented default)')
      .option('--json', 'print a machine-readable summary on stdout')
      .addHelpText('after', '\nExample:\n  rastro screen pairs pairs.csv --out scores.csv\n')
      .action(runScreenPairs),
  )
  .addCommand(
    new Command('names')
      .description('Screen names (and crypto addresses) against the lists: one JSON line per query with its candidates, scores and reasons.')
      .argument('<queries.csv|->', 'CSV with a name column (optional id, schema, dob, country, id_number, crypto), or one name per line; - for standard input')
      .option('--lists <paths...>', 'list files or folders (OFAC sdn.csv + add/alt, UN consolidated XML, sanctioned_addresses_*.json, custom CSV/JSON); default $RASTRO_LISTS or ./rastro-data/lists')
      .requiredOption('--out <matches.jsonl>', 'output JSON Lines')
      .option('--threshold <t>', 'score at or above which a candidate is a match')
      .option('--min-score <s>', 'candidates below this score are not reported', '0.5')
      .option('--limit <n>', 'candidates per query, at most', '10')
      .option('--db <path|url>', 'also keep each query\'s candidates with its party (the query\'s id, else its name) in this store')
      .option('--json', 'print a machine-readable summary on stdout')
      .option('-q, --quiet', 'no summary on stderr')
      .addHelpText('after', '\nExamples:\n  rastro screen names parties.csv --lists sanctions/ --out matches.jsonl\n  echo "Joaquin Guzman Loera" | rastro screen names - --lists sdn.csv --out matches.jsonl\n')
      .action(runScreenNames),
  )
  .addCommand(
    new Command('diff')
      .description('What changed between two versions of the lists: entries added, removed and changed.')
      .argument('<before>', 'older list file or folder')
      .argument('<after>', 'newer list file or folder')
      .option('--json', 'machine-readable output')
      .action(runScreenDiff),
  );

program
  .command('crypto')
  .description('Bitcoin tracing: load blocks, cluster addresses, attribute them from tag packs, exposure, follow the funds, peel chains.')
  .addCommand(
    new Command('ingest')
      .description('Load Bitcoin blocks into the store: a blocks directory or blk*.dat files (Core 28+ xor.dat honoured), raw block hex, Core getblock JSON, or a node over JSON-RPC. Idempotent; bad records reported and skipped.')
      .argument('[paths...]', 'block files or directories')
      .addOption(new Option('-f, --format <fmt>', 'input layout').choices(['auto', 'blk', 'hex', 'json']).default('auto'))
      .option('--rpc <url>', 'read from a Bitcoin Core node, e.g. http://user:pass@127.0.0.1:8332')
      .option('--from <height>', 'with --rpc: first block height', '0')
      .option('--to <height>', "with --rpc: last block height (default: the node's tip)")
      .option('--network <name>', 'mainnet, testnet, signet or regtest', 'mainnet')
      .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
      .option('--json', 'print a machine-readable summary on stdout')
      .option('-q, --quiet', 'no progress bar')
      .addHelpText('after', '\nExamples:\n  rastro crypto ingest ~/.bitcoin/blocks\n  rastro crypto ingest block.hex getblock.json\n  rastro crypto ingest --rpc http://user:pass@127.0.0.1:8332 --from 800000 --to 800100\n')
      .action(runCryptoIngest),
  )
  .addCommand(
    new Command('cluster')
      .description('Cluster addresses: multi-input heuristic with union-find, CoinJoins left apart, optional change heuristics; cluster ids stay stable as blocks are added.')
      .option('--change <list>', 'change heuristics to apply: address-type, round-amount, fresh-address, optimal-change (comma-separated; default none)')
      .option('--change-vote <k>', 'how many of the --change heuristics must agree', '1')
      .option('--no-coinjoin-filter', 'merge CoinJoin inputs like any other (to see what the filter prevents)')
      .option('--top <n>', 'largest clusters to list', '10')
      .option('--network <name>', 'network when the store does not say', 'mainnet')
      .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
      .option('--json', 'machine-readable output')
      .action(runCryptoCluster),
  )
  .addCommand(
    new Command('address')
      .description('An address: its cluster, tags and attribution (conflicts shown), balance and flows over time, exposure received from and sent to each category.')
      .argument('<address>', 'Bitcoin address')
      .option('--hops <n>', 'unlabelled hops followed for indirect exposure', '3')
      .option('--network <name>', 'network when the store does not say', 'mainnet')
      .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
      .option('--json', 'machine-readable output (every path behind every figure)')
      .action(runCryptoAddress),
  )
  .addCommand(
    new Command('trace')
      .description('Follow the funds of an output forward or back for N hops or until a labelled service, with amounts (split in proportion at each transaction).')
      .argument('<txid:vout>', 'the output to start from')
      .option('--hops <n>', 'transactions to follow', '5')
      .addOption(new Option('--direction <dir>', 'fwd: where it went; back: where it came from').choices(['fwd', 'back']).default('fwd'))
      .option('--through-services', 'do not stop at labelled services')
      .option('--max-edges <n>', 'stop expanding after this many edges', '1000000')
      .option('--network <name>', 'network when the store does not say', 'mainnet')
      .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
      .option('--json', 'machine-readable output (every edge and endpoint)')
      .action(runCryptoTrace),
  )
  .addCommand(
    new Command('tags')
      .description('Attribution tags.')
      .addCommand(
        new Command('load')
          .description('Load GraphSense TagPacks, the GraphSense actor pack and OFAC sanctioned_addresses_*.json lists (files or directories); a pack loaded again replaces its tags.')
          .argument('<paths...>', 'files or directories')
          .option('--network <name>', 'which addresses are valid', 'mainnet')
          .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
          .option('--json', 'machine-readable summary')
          .action(runCryptoTagsLoad),
      ),
  )
  .addCommand(
    new Command('peels')
      .description('Detect peel chains (1 input, 2 outputs, a small payment peeled off, the change moving on, repeated) and write them as alert lines.')
      .option('--min-hops <n>', 'shortest chain reported', '4')
      .option('--max-share <x>', 'largest peel as a share of the step', '0.25')
      .option('--alerts <out.jsonl>', 'write the alerts here (default: standard output)')
      .option('--network <name>', 'network when the store does not say', 'mainnet')
      .option('--db <path>', 'DuckDB file', DEFAULT_DB_PATH)
      .option('--json', 'machine-readable summary (with --alerts)')
      .action(runCryptoPeels),
  );

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

program
  .command('serve')
  .description('The investigation server: REST API (OpenAPI at /api/openapi.json), real-time monitoring, alerts, cases, reports, audit. A new database gets a one-time admin token and the demo world.')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--port <n>', 'TCP port', '7777')
  .option('--host <addr>', 'address to listen on', '127.0.0.1')
  .option('--config <rules.yaml>', 'typology rules for the live engines')
  .option('--no-demo', 'do not load the demo world into a new database')
  .option('--web <dir>', 'serve the web app from this directory (default: the bundled build in dist/web)')
  .option('--insecure-cookies', 'session cookies without the Secure flag (plain HTTP behind no proxy, not localhost)')
  .option('--log', 'log every request (JSON lines)')
  .addHelpText('after', '\nExamples:\n  rastro serve\n  rastro serve --db postgres://rastro@localhost/rastro --port 8080 --host 0.0.0.0\n')
  .action(runServe);

program
  .command('openapi')
  .description('Print the HTTP API\'s OpenAPI 3 document (what GET /api/openapi.json answers), e.g. to generate a client.')
  .option('--out <file>', 'write it to this file instead of standard output')
  .action(runOpenApi);

const user = program.command('user').description('People of the agencies, offline (the API manages them too).');
user
  .command('add')
  .description('Add a person (and the agency, if new); the password comes from RASTRO_PASSWORD or standard input.')
  .argument('<username>', 'sign-in name')
  .requiredOption('--tenant <id>', 'agency id (created when new; the first agency is the operator)')
  .option('--tenant-name <name>', 'display name of a new agency')
  .option('--role <role>', 'analyst, supervisor, admin or auditor', 'admin')
  .option('--name <display name>', 'how the person is shown')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  RASTRO_PASSWORD=... rastro user add ana --tenant fiu --role admin\n')
  .action(runUserAdd);

const audit = program.command('audit').description('The tamper-evident audit trail.');
audit
  .command('verify')
  .description('Check the audit trail\'s hash chain; exit 3 naming the first altered, removed or reordered entry.')
  .option('--db <path|url>', 'DuckDB file or postgres:// URL', DEFAULT_DB_PATH)
  .option('--json', 'machine-readable output')
  .action(runAuditVerify);

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
