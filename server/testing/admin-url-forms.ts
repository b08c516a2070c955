/** Every spelling of an admin route an attacker would try on the public port (issue 8). */
export function adminUrlForms(origin: string): string[] {
  const paths = ['/admin/tokens', '/tokens'];
  const forms = [
    '/admin/tokens',
    '/%61dmin/tokens',
    '/%61%64%6d%69%6e/%74%6f%6b%65%6e%73',
    '/%2561dmin/tokens',
    '/ADMIN/tokens',
    '/Admin/Tokens',
    '//admin/tokens',
    '///admin//tokens',
    '/./admin/tokens',
    '/api/../admin/tokens',
    '/api/%2e%2e/admin/tokens',
    '/admin/./tokens',
    '/admin/tokens/',
    '/admin%2ftokens',
    '/admin%2Ftokens',
    '/admin;/tokens',
    '/admin/tokens;x',
    '/admin/tokens%00',
    '/admin/tokens#frag',
    '\\admin\\tokens',
    '/tokens/',
    '/%74okens',
    `${origin}/admin/tokens`,
    `${origin}/%61dmin/tokens`,
    `${origin}/tokens`,
    `${origin.toUpperCase()}/admin/tokens`,
    ...paths.map((path) => `${path}/revoke`),
  ];
  return forms;
}
