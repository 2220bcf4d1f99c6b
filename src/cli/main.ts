/**
 * `vantage <command>`: administration from the command line (bin/vantage.js
 * runs this file through @swc-node/register, like `npm start`).
 * Exit codes: 0 ok, 1 failure, 2 usage (unknown command, bad options,
 * missing DATABASE_URL). `--json` prints one JSON object on stdout, for
 * failures too; otherwise results go to stdout and errors to stderr.
 */
import 'reflect-metadata';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import type { Session } from './commands';
import { CliError, EXIT, usageError, type Result } from './output';

// The commands, the ORM and the entities are loaded when a command runs, not for help and usage errors.
const commands = () => import('./commands');

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** Names of the positional arguments, all required. */
  positionals: string[];
  run(session: Session | null, values: Record<string, string | boolean | undefined>, args: string[]): Promise<Result>;
  /** Doctor opens the database itself, to report an unreachable one as a check. */
  ownsDatabase?: boolean;
}

const COMMANDS: Record<string, Command> = {
  migrate: {
    usage: 'vantage migrate',
    summary: 'apply the pending migrations',
    options: {},
    positionals: [],
    run: async (s) => (await commands()).migrateCommand(s!),
  },
  seed: {
    usage: 'vantage seed',
    summary: 'load the demo data into an empty database',
    options: {},
    positionals: [],
    run: async (s) => (await commands()).seedCommand(s!),
  },
  'user create': {
    usage: 'vantage user create --email <e-mail> --name <name> --org <organization name or id> --role <ADMIN|MANAGER|VIEWER|MEMBER> [--password-stdin]',
    summary: 'create a user (the password is read from stdin with --password-stdin, otherwise generated and shown once)',
    options: { email: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    positionals: [],
    run: async (s, v) => (await commands()).userCreate(s!, v as never),
  },
  'user disable': {
    usage: 'vantage user disable <e-mail>',
    summary: 'disable a user: they cannot sign in and their tokens stop working',
    options: {},
    positionals: ['e-mail'],
    run: async (s, _v, [email]) => (await commands()).userDisable(s!, email),
  },
  'user set-role': {
    usage: 'vantage user set-role <e-mail> <ADMIN|MANAGER|VIEWER|MEMBER>',
    summary: "change a user's role (it must fit their organization's kind)",
    options: {},
    positionals: ['e-mail', 'role'],
    run: async (s, _v, [email, role]) => (await commands()).userSetRole(s!, email, role),
  },
  'org create': {
    usage: 'vantage org create --name <name> --kind <OPERATOR|INVESTOR|VENDOR|SUBCONTRACTOR>',
    summary: 'create an organization',
    options: { name: { type: 'string' }, kind: { type: 'string' } },
    positionals: [],
    run: async (s, v) => (await commands()).orgCreate(s!, v as never),
  },
  'token create': {
    usage: 'vantage token create --user <e-mail> --name <what it is for> [--expires-at <ISO date-time>] [--any-document]',
    summary: 'create an API token for a user (the secret is shown once; --any-document: it may send any query, not only the portal\'s)',
    options: { user: { type: 'string' }, name: { type: 'string' }, 'expires-at': { type: 'string' }, 'any-document': { type: 'boolean' } },
    positionals: [],
    run: async (s, v) => (await commands()).tokenCreate(s!, v as never),
  },
  'token revoke': {
    usage: 'vantage token revoke <token id or prefix>',
    summary: 'revoke an API token; it is refused from the next request on',
    options: {},
    positionals: ['token'],
    run: async (s, _v, [ref]) => (await commands()).tokenRevoke(s!, ref),
  },
  doctor: {
    usage: 'vantage doctor',
    summary: 'check the configuration, the database, pending migrations and replicas',
    options: {},
    positionals: [],
    ownsDatabase: true,
    run: async () => (await import('./doctor')).doctor(process.env, process.env.DATABASE_URL!),
  },
};

const GROUPS = new Set(['user', 'org', 'token']);

export function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: vantage <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --json     print the result as one JSON object (failures too)',
    '  --help     show the usage of a command',
    '',
    'Environment: DATABASE_URL (required), and the server\'s configuration (see README, Configuration).',
    'Exit codes: 0 ok, 1 failure, 2 usage.',
    'Organization and user changes are audited with no actor and a "cli:" request id;',
    'token changes are made as the token\'s user, like the API does.',
  ].join('\n');
}

function commandHelp(name: string, c: Command): string {
  return `Usage: ${c.usage} [--json]\n\n${name}: ${c.summary}`;
}

interface Parsed { name: string; command: Command; rest: string[] }

function findCommand(argv: string[]): Parsed | null {
  const [first, second] = argv;
  if (first && GROUPS.has(first)) {
    if (!second || second.startsWith('-')) throw usageError(`"${first}" needs a subcommand: ${Object.keys(COMMANDS).filter((k) => k.startsWith(`${first} `)).map((k) => k.split(' ')[1]).join(', ')}`);
    const name = `${first} ${second}`;
    if (!COMMANDS[name]) throw usageError(`unknown command "${name}"`);
    return { name, command: COMMANDS[name], rest: argv.slice(2) };
  }
  if (!first || first.startsWith('-')) return null;
  if (!COMMANDS[first]) throw usageError(`unknown command "${first}"`);
  return { name: first, command: COMMANDS[first], rest: argv.slice(1) };
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve()));
}

export async function run(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  let orm: MikroORM | null = null;
  try {
    const parsed = findCommand(argv);
    if (!parsed) {
      if (wantsHelp || argv[0] === 'help') {
        await write(process.stdout, help());
        return EXIT.OK;
      }
      throw usageError(argv.length ? `unknown option "${argv[0]}"` : 'no command given');
    }
    const { name, command, rest } = parsed;
    if (wantsHelp) {
      await write(process.stdout, commandHelp(name, command));
      return EXIT.OK;
    }
    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      }));
    } catch (err) {
      throw usageError(`${(err as Error).message}\n${commandHelp(name, command).split('\n')[0]}`);
    }
    if (positionals.length !== command.positionals.length) {
      throw usageError(`${name} takes ${command.positionals.length ? command.positionals.map((p) => `<${p}>`).join(' ') : 'no arguments'} (got ${positionals.length ? positionals.map((p) => `"${p}"`).join(' ') : 'none'})\n${commandHelp(name, command).split('\n')[0]}`);
    }
    const url = process.env.DATABASE_URL;
    if (!url) throw usageError('DATABASE_URL is required: export DATABASE_URL=postgres://user:password@host:5432/database');

    let session: Session | null = null;
    if (!command.ownsDatabase) {
      let config;
      try {
        config = loadConfig(process.env);
      } catch (err) {
        if (err instanceof ConfigError) throw usageError(err.message);
        throw err;
      }
      orm = await (await import('./database')).openDatabase(url);
      session = { orm, config };
    }
    const result = await command.run(session, values, positionals);
    await write(process.stdout, json ? JSON.stringify(result.json) : result.text);
    return result.exitCode ?? EXIT.OK;
  } catch (err) {
    const known = err instanceof CliError;
    const code = known ? err.exitCode : EXIT.FAILURE;
    const message = known ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    if (json) await write(process.stdout, JSON.stringify({ ok: false, error: { message, exitCode: code, ...(known ? err.details : {}) } }));
    else await write(process.stderr, `vantage: ${message}${code === EXIT.USAGE && !message.includes('Usage:') ? '\nRun `vantage --help` for the commands.' : ''}`);
    return code;
  } finally {
    await orm?.close(true).catch(() => undefined);
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
