import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { errors } from '../../server/contract/errors';
import { readEnv } from '../../server/env';
import { API_BODY_LIMIT } from '../../server/routes/server-api';

const NGINX = '/usr/sbin/nginx';

/** The README's "Deploying to production" section. */
const section = (() => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Deploying to production\n');
  assert.ok(start >= 0, 'the README has a "Deploying to production" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
})();

/** The fenced block of the section whose first line names `file` (`# /etc/…`), without that line. */
function blockFor(file: string): string {
  const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const found = blocks.filter((b) => b.split('\n')[0] === `# ${file}` || b.startsWith(`# ${file} `));
  assert.equal(found.length, 1, `one block in "Deploying to production" starts with "# ${file}"`);
  return found[0].split('\n').slice(1).join('\n');
}

/** A systemd unit file as sections of key → values (a key may repeat), comments and blank lines left out. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const setting = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    assert.ok(current && setting, `unit line ${index + 1} is "Key=value" inside a [Section]: ${raw}`);
    current.set(setting[1], [...(current.get(setting[1]) ?? []), setting[2]]);
  }
  return sections;
}

const dir = mkdtempSync(join(tmpdir(), 'portal-deploy-docs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('README: Deploying to production', () => {
  const unitText = blockFor('/etc/systemd/system/account-portal.service');
  const envText = blockFor('/etc/account-portal/env');
  const nginxText = blockFor('/etc/nginx/sites-available/account-portal');

  test('the systemd unit runs the built server as production, restarts on failure and stops gracefully, hardened', () => {
    const unit = parseUnit(unitText);
    const service = unit.get('Service');
    assert.ok(service && unit.has('Unit') && unit.has('Install'), 'sections [Unit], [Service], [Install]');
    const one = (key: string) => {
      const values = service.get(key);
      assert.equal(values?.length, 1, `[Service] ${key}= once`);
      return values[0];
    };
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    assert.equal(
      one('ExecStart'),
      `/usr/bin/${scripts['start:built']}`,
      "ExecStart is npm run start:built's command (package.json): the server as npm run build built it",
    );
    assert.deepEqual(service.get('Environment'), ['NODE_ENV=production']);
    assert.equal(one('EnvironmentFile'), '/etc/account-portal/env');
    assert.equal(one('WorkingDirectory'), '/srv/account-portal');
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('KillSignal'), 'SIGTERM');
    // server/main.ts forces its exit 10 s after SIGTERM; systemd must not kill it before.
    assert.ok(Number(one('TimeoutStopSec')) > 10, 'TimeoutStopSec leaves the graceful shutdown its 10 s');
    assert.equal(one('NoNewPrivileges'), 'yes');
    assert.equal(one('ProtectSystem'), 'strict');
    const env = readEnv({ ...Object.fromEntries(envLines(envText)), NODE_ENV: 'production' });
    assert.ok(
      env.databasePath.startsWith(`${one('ReadWritePaths')}/`),
      `the database (${env.databasePath}) is under ReadWritePaths`,
    );
    assert.equal(unit.get('Install')?.get('WantedBy')?.[0], 'multi-user.target');
  });

  test('the systemd unit passes systemd-analyze verify', (t) => {
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.error) return t.skip('systemd-analyze is not installed (Debian: apt-get install systemd); parsed only');
    const file = join(dir, 'account-portal.service');
    // Verify checks that ExecStart's program exists: this machine's node where /usr/bin/node is not.
    const node = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
    writeFileSync(file, unitText.replace('ExecStart=/usr/bin/node ', `ExecStart=${node} `));
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    // Unknown keys and bad values are only warnings (exit 0) to systemd; here they fail.
    assert.equal(result.stderr.trim(), '', 'systemd-analyze verify has nothing to say');
  });

  test('the environment file is one the server starts with, trusting the one proxy in front', () => {
    const env = readEnv({ ...Object.fromEntries(envLines(envText)), NODE_ENV: 'production' });
    assert.equal(env.production, true);
    assert.equal(env.host, '127.0.0.1', 'only nginx reaches the server');
    assert.deepEqual(env.trustProxy, 1, 'one hop: nginx, which appends the address it saw to X-Forwarded-For');
    assert.match(nginxText, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    assert.match(nginxText, new RegExp(`server 127\\.0\\.0\\.1:${env.port};`), 'nginx proxies to HOST:PORT');
    assert.equal(env.widgetBuild, 'off');
  });

  test('the nginx configuration limits bodies as the server does and leaves caching to it', () => {
    const limit = /client_max_body_size (\d+)([km]?);/.exec(nginxText);
    assert.ok(limit, 'client_max_body_size is set');
    const bytes = Number(limit[1]) * { '': 1, k: 1024, m: 1024 * 1024 }[limit[2] as '' | 'k' | 'm'];
    assert.equal(bytes, API_BODY_LIMIT, "the Server API's body limit");
    const refusal = /return 413 '(.*)';/.exec(nginxText);
    assert.ok(refusal, "nginx's own 413 answer is written out");
    const body = JSON.parse(refusal[1]) as { error: { code: string; details: { limit: number } } };
    assert.equal(body.error.code, 'payload_too_large');
    assert.equal(errors[body.error.code as keyof typeof errors].status, 413);
    assert.equal(body.error.details.limit, API_BODY_LIMIT);
    assert.match(nginxText, /error_page 413 @payload_too_large;/);
    assert.match(nginxText, /return 301 https:\/\/\$host\$request_uri;/, 'HTTP is redirected to HTTPS');
    assert.match(nginxText, /location = \/health \{/);
    assert.doesNotMatch(
      nginxText,
      /^\s*(expires|add_header Cache-Control|proxy_hide_header)\b/m,
      'caching is the server’s',
    );
  });

  test('the nginx configuration passes nginx -t', (t) => {
    if (!existsSync(NGINX)) return t.skip(`nginx is not installed at ${NGINX} (Debian: apt-get install nginx-light)`);
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-subj',
        '/CN=portal.example.com',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, `openssl made a throwaway certificate: ${made.stderr}`);
    const site = nginxText
      .replace('/etc/letsencrypt/live/portal.example.com/fullchain.pem', cert)
      .replace('/etc/letsencrypt/live/portal.example.com/privkey.pem', key);
    assert.notEqual(site, nginxText, 'the certificate paths were found and replaced');
    // The README's block is what goes in sites-enabled/, inside Debian's nginx.conf `http {}`; here a minimal one.
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      [
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')};`,
        'events {}',
        'http {',
        `    access_log ${join(dir, 'access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `    ${kind}_temp_path ${join(dir, kind)};`,
        ),
        site,
        '}',
      ].join('\n'),
    );
    const result = spawnSync(NGINX, ['-t', '-q', '-e', join(dir, 'error.log'), '-c', config], { encoding: 'utf8' });
    assert.equal(result.status, 0, `nginx -t:\n${result.stderr}`);
  });
});

/** `NAME=value` lines of an environment file (what systemd's EnvironmentFile= reads), comments left out. */
function envLines(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      assert.ok(match, `environment file line "${line}" is NAME=value`);
      return [match[1], match[2]];
    });
}
