import { parseArgs } from 'node:util';
import { withAdmin } from './admin/client';
import { configFromEnv } from './config';
import { startServer } from './server';

const usage = `Usage:
  npm run server                                   serve on HOST:PORT (PGlite in DATA_DIR, or DATABASE_URL)
  npm run server -- token --tenant T --user U [--name "Full Name"] [--email E]
                                                   create tenant/member if missing; print a new token (last line)
  npm run server -- tokens list --tenant T         list the tenant's tokens
  npm run server -- token revoke <tokenId|prefix>  revoke a token`;

function fail(message: string): never {
  console.error(message);
  console.error(usage);
  process.exit(2);
}

async function main(argv: string[]) {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === 'serve') {
    await startServer(configFromEnv());
    return;
  }
  if (command === 'token' && sub === 'revoke') {
    const reference = rest[0];
    if (!reference) fail('token revoke needs a token id or prefix');
    const result = await withAdmin(configFromEnv(), (admin) => admin.revokeToken(reference));
    if (result.outcome === 'revoked') console.log(`revoked ${result.id}`);
    else if (result.outcome === 'ambiguous')
      fail(`"${reference}" matches several tokens: ${result.ids.join(', ')}`);
    else fail(`no active token matches "${reference}"`);
    return;
  }
  if (command === 'token') {
    const { values } = parseArgs({
      args: argv.slice(1),
      options: {
        tenant: { type: 'string' },
        user: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
      },
    });
    const { tenant, user, name, email } = values;
    if (!tenant || !user) fail('token needs --tenant and --user');
    const { id, token } = await withAdmin(configFromEnv(), (admin) =>
      admin.createToken({ tenantId: tenant, userId: user, name, email }),
    );
    console.log(`token ${id} for user ${user} in tenant ${tenant} (shown once; store it now):`);
    console.log(token);
    return;
  }
  if (command === 'tokens' && sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' } } });
    const { tenant } = values;
    if (!tenant) fail('tokens list needs --tenant');
    const tokens = await withAdmin(configFromEnv(), (admin) => admin.listTokens(tenant));
    for (const token of tokens) {
      const state = token.revokedAt ? `revoked ${token.revokedAt}` : 'active';
      console.log([token.id, token.prefix, token.userId, token.createdAt, state].join('\t'));
    }
    return;
  }
  fail(`unknown command: ${argv.join(' ')}`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
