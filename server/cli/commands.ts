import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Db } from '../db/client';
import type { Clock } from '../lib/clock';
import { DomainError, problemSaying } from '../lib/errors';
import { resolveStoreSettings, storeSettingNames, type StoreSettings } from '../lib/store-settings';
import {
  createStore,
  findStore,
  listStores,
  rotateCredentials,
  rotateDownloadSigningSecret,
  setSellerDetails,
  setStoreValue,
  storeFieldNames,
  toSellerView,
  type ApiCredentials,
} from '../services/stores';
import type { StoreRow } from '../db/schema';
import { issueMissingInvoices } from '../services/orders';
import { dbHelpLines } from './db-commands';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';

/** What the CLI works with; `main.ts` hands in the real ones, tests hand in an in-memory database. */
export interface CliIo {
  /** Opens the database, before a command runs (main.ts: PostgreSQL's is opened asynchronously). */
  open?(): Promise<void>;
  db: Db;
  clock: Clock;
  out(line: string): void;
  err(line: string): void;
}

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';

const PROGRAM = 'npm run portal --';

/** A command line that cannot be run as typed (exit code 2). */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

interface Command {
  usage: string;
  summary: string;
  /** Names of the positional arguments, all required. */
  args: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: string[], values: Values, io: CliIo): void | Promise<void>;
}

/** `store seller` options, each a seller detail (`--legal-name` → `legalName`). */
const sellerOptions = [
  'legal-name',
  'address-line1',
  'address-line2',
  'city',
  'postal-code',
  'state',
  'country',
  'vat-id',
  'registration-number',
  'email',
  'footer',
] as const;

const commands: Record<string, Command> = {
  create: {
    usage: 'store create <id> --name <name> [--origin <origin>]... [--portal-url <url>]',
    summary: 'Create a store and print its Server API credentials (shown only once).',
    args: ['id'],
    options: { name: { type: 'string' }, origin: { type: 'string', multiple: true }, 'portal-url': { type: 'string' } },
    run: async ([id], values, io) => {
      if (typeof values.name !== 'string') throw new UsageError('Missing --name <name>.');
      const { store, credentials } = await createStore(io.db, io.clock, {
        id,
        name: values.name,
        allowedOrigins: values.origin as string[] | undefined,
        portalUrl: values['portal-url'] as string | undefined,
      });
      io.out(`Created store "${store.id}" (${store.name}).`);
      printCredentials(io, store.id, credentials);
      printDownloadSecret(io, store.id, store.downloadSigningSecret!);
    },
  },
  list: {
    usage: 'store list [--json]',
    summary: 'List the stores: id, name, allowed origins, portal URL and API user.',
    args: [],
    options: { json: { type: 'boolean' } },
    run: async (_args, values, io) => printStores(io, await listStores(io.db), values.json === true),
  },
  'rotate-credentials': {
    usage: 'store rotate-credentials <id>',
    summary: "Replace a store's Server API credentials; the old ones stop working at once.",
    args: ['id'],
    options: {},
    run: async ([id], _values, io) => {
      await requireStore(io, id);
      const credentials = await rotateCredentials(io.db, io.clock, id);
      io.out(`New credentials for store "${id}"; the old ones no longer work.`);
      printCredentials(io, id, credentials);
    },
  },
  seller: {
    usage:
      'store seller <id> [--legal-name <name>] [--address-line1 <line>] [--address-line2 <line>] [--city <city>] ' +
      '[--postal-code <code>] [--state <state>] [--country <CC>] [--vat-id <id>] [--registration-number <no>] ' +
      '[--email <address>] [--footer <text>] [--json]',
    summary:
      'Show or change the legal seller details printed on invoices ("" clears one). Required for invoices: ' +
      'legal name, address line 1, city, country, email.',
    args: ['id'],
    options: {
      ...Object.fromEntries(sellerOptions.map((name) => [name, { type: 'string' }])),
      json: { type: 'boolean' },
    },
    run: async ([id], values, io) => {
      await requireStore(io, id);
      const changes = Object.fromEntries(
        sellerOptions
          .filter((name) => typeof values[name] === 'string')
          .map((name) => [camelCase(name), (values[name] as string).trim() || null]),
      );
      const seller =
        Object.keys(changes).length > 0
          ? await setSellerDetails(io.db, io.clock, id, changes, 'merge')
          : toSellerView((await findStore(io.db, id))!);
      if (values.json === true) return io.out(JSON.stringify(seller, null, 2));
      for (const [name, value] of Object.entries(seller)) {
        if (name !== 'missing') io.out(`${name.padEnd(19)} ${value ?? '-'}`);
      }
      io.out(
        seller.missing.length > 0
          ? `Invoices cannot be issued until these are set: ${seller.missing.join(', ')}.`
          : 'Complete: invoices can be issued.',
      );
    },
  },
  'rotate-download-secret': {
    usage: 'store rotate-download-secret <id>',
    summary:
      "Replace a store's download signing secret and print it (shown only once); links signed with the old one stop working.",
    args: ['id'],
    options: {},
    run: async ([id], _values, io) => {
      await requireStore(io, id);
      const secret = await rotateDownloadSigningSecret(io.db, io.clock, id);
      io.out(`New download signing secret for store "${id}"; download links signed with the old one no longer verify.`);
      printDownloadSecret(io, id, secret);
    },
  },
  'issue-missing-invoices': {
    usage: 'store issue-missing-invoices <id>',
    summary:
      'Issue invoices for orders recorded before invoices existed (databases from before migration 0005): ' +
      'numbered on, dated today, oldest order first; orders with nothing to pay follow invoiceZeroAmountOrders.',
    args: ['id'],
    options: {},
    run: async ([id], _values, io) => {
      await requireStore(io, id);
      const issued = await issueMissingInvoices(io.db, id, io.clock.now());
      io.out(`Issued ${issued} invoice${issued === 1 ? '' : 's'} for store "${id}".`);
    },
  },
  set: {
    usage: 'store set <id> <setting> <value>',
    summary: 'Change a store field or setting (true/false, numbers, null to clear, comma-separated origins).',
    args: ['id', 'setting', 'value'],
    options: {},
    run: async ([id, setting, value], _values, io) => {
      await requireStore(io, id);
      const name = camelCase(setting);
      const store = await setStoreValue(io.db, io.clock, id, name, value);
      io.out(`Set ${name} of store "${id}" to ${JSON.stringify(currentValue(store, name))}.`);
    },
  },
};

/** Every name `store set` accepts. */
export const settableNames: string[] = [...storeFieldNames, ...storeSettingNames];

/**
 * Runs one CLI command (`argv` without the program name) and returns its exit
 * code. Output goes to `io.out`, problems to `io.err` as one line without a stack
 * trace: exit code 2 when the command line is wrong (unknown command or option,
 * missing or invalid argument), 1 when a valid command could not be carried out
 * (unknown or duplicate store, database error).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let usage: string | undefined;
  try {
    const [group, name, ...rest] = argv;
    if (group === undefined) {
      io.err(helpText());
      return EXIT_USAGE;
    }
    if (group === 'help' && name === 'db') {
      io.out(['Usage:', ...dbHelpLines()].join('\n'));
      return EXIT_OK;
    }
    if (group === 'help' || isHelpFlag(group)) return showHelp(io, name === 'store' ? rest[0] : name);
    if (group !== 'store') throw new UsageError(`Unknown command "${group}".`);
    if (name === undefined) throw new UsageError(`Missing a store command: ${Object.keys(commands).join(', ')}.`);
    if (isHelpFlag(name)) return showHelp(io);
    const command = commands[name];
    if (!command) throw new UsageError(`Unknown command "store ${name}".`);
    usage = command.usage;
    const { positionals, values } = parseCommandLine(command, rest);
    if (values.help) return showHelp(io, name);
    await io.open?.();
    await command.run(positionals, values, io);
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error, usage);
  }
}

function parseCommandLine(command: Command, args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    // parseArgs explains itself in its first sentence; the rest is advice about `--` that does not apply here.
    throw new UsageError(`${(error as Error).message.split(/(?<=\.) /)[0]}`);
  }
  const { positionals, values } = parsed;
  if (!values.help) {
    const missing = command.args.slice(positionals.length);
    if (missing.length > 0) throw new UsageError(`Missing ${missing.map((a) => `<${a}>`).join(' ')}.`);
    const extra = positionals.slice(command.args.length);
    if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  }
  return { positionals, values: values as Values };
}

function reportError(io: CliIo, error: unknown, usage: string | undefined): number {
  if (error instanceof UsageError) {
    io.err(`Error: ${error.message} Usage: ${PROGRAM} ${usage ?? '<command>'} (see "${PROGRAM} help").`);
    return EXIT_USAGE;
  }
  if (error instanceof DomainError) {
    const known = (error.details as { known?: string[] } | undefined)?.known;
    io.err(`Error: ${sentence(error.message)}${known ? ` Known settings: ${known.join(', ')}.` : ''}`);
    return error.status === 422 ? EXIT_USAGE : EXIT_FAILED;
  }
  io.err(`Error: ${sentence(error instanceof Error ? error.message : String(error))}`);
  return EXIT_FAILED;
}

/** The first line of a message, ending with a full stop. */
function sentence(message: string): string {
  const line = message.split('\n')[0].trim();
  return /[.!?)]$/.test(line) ? line : `${line}.`;
}

/** Fails with the store's id in the message (the service's 404 does not name it). */
async function requireStore(io: CliIo, id: string): Promise<void> {
  if (!(await findStore(io.db, id))) {
    throw problemSaying('not_found', `There is no store with id "${id}" (see "${PROGRAM} store list").`);
  }
}

function printCredentials(io: CliIo, storeId: string, credentials: ApiCredentials) {
  io.out(`  API user:     ${credentials.user}`);
  io.out(`  API password: ${credentials.password}`);
  io.out("These credentials are shown only once (the password is stored hashed). Keep them in your backend's secrets;");
  io.out(`if they are lost, issue new ones with "${PROGRAM} store rotate-credentials ${storeId}".`);
}

function printDownloadSecret(io: CliIo, storeId: string, secret: string) {
  io.out(`  Download signing secret: ${secret}`);
  io.out('Your file server checks download links with it (see "Downloads" in the README). It is shown only once;');
  io.out(`if it is lost, issue a new one with "${PROGRAM} store rotate-download-secret ${storeId}".`);
}

function printStores(io: CliIo, stores: StoreRow[], json: boolean) {
  const rows = stores.map((s) => ({
    id: s.id,
    name: s.name,
    allowedOrigins: s.allowedOrigins,
    portalUrl: s.portalUrl,
    apiUser: s.apiUser,
  }));
  if (json) return io.out(JSON.stringify(rows, null, 2));
  if (rows.length === 0) {
    return io.out(`No stores yet. Create one with "${PROGRAM} store create <id> --name <name>".`);
  }
  const table = [
    ['ID', 'NAME', 'ORIGINS', 'PORTAL URL', 'API USER'],
    ...rows.map((r) => [r.id, r.name, r.allowedOrigins.join(',') || '-', r.portalUrl ?? '- (hosted page)', r.apiUser]),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table)
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

function currentValue(store: StoreRow, name: string): unknown {
  if (name === 'name' || name === 'allowedOrigins' || name === 'portalUrl') return store[name];
  return resolveStoreSettings(store.settings)[name as keyof StoreSettings];
}

/** `portal-url` → `portalUrl`, so settings can be typed either way. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function isHelpFlag(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

function showHelp(io: CliIo, commandName?: string): number {
  const command = commandName ? commands[commandName] : undefined;
  if (commandName && !command) throw new UsageError(`Unknown command "store ${commandName}".`);
  io.out(command ? `Usage: ${PROGRAM} ${command.usage}\n\n${command.summary}${settingsNote(commandName)}` : helpText());
  return EXIT_OK;
}

function settingsNote(commandName?: string): string {
  return commandName === 'set' ? `\n\nSettings: ${settableNames.join(', ')}.` : '';
}

function helpText(): string {
  const lines = Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return [
    `Usage: ${PROGRAM} <command>`,
    '',
    "Manage the portal's stores, back up and restore its database. The database is DATABASE_PATH (default data/portal.db).",
    '',
    'Commands:',
    ...lines,
    ...dbHelpLines(),
    '  help [<command>]',
    "      Show this help, or one command's.",
    '',
    `Settings for "store set": ${settableNames.join(', ')}.`,
    'Exit codes: 0 done, 1 could not be done (unknown or duplicate store, a refused backup or restore), ' +
      '2 wrong command line or value.',
  ].join('\n');
}
