// A real OpenID Connect provider (npm oidc-provider) for Hubhome's tests and bin/oidc-demo.
//
//   node tests/oidc/provider.js CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{client_id, client_secret, redirect_uris}], "accounts":
// {"<sub>": {<claims>}}}. It listens on 127.0.0.1 (port 0: one the OS picks) and prints one
// line of JSON, {"issuer": "http://127.0.0.1:<port>"}, once it answers. Signing in shows the
// accounts as buttons (a person picks who they are, as at an e-identification broker's test
// page); consent is given at once, as for a municipality's own services. Tests add accounts
// with POST /_test/accounts {"<sub>": {<claims>}} and set the clock with POST /_test/clock.
import fs from 'node:fs';
import http from 'node:http';
import { URLSearchParams } from 'node:url';

import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// The tests run on a clock of their own (tests/clock.py): POST /_test/clock {"now_ms": …}
// moves this process's clock to theirs, so ID tokens are issued at the test's "now".
let clockOffsetMs = 0;
const realNow = Date.now;
Date.now = () => realNow() + clockOffsetMs;
const accounts = new Map(Object.entries(config.accounts || {}));

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const server = http.createServer();

server.listen(config.port || 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'personal_identity_number'],
    },
    conformIdTokenClaims: false, // the scopes' claims in the ID token, as brokers do
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    try {
      if (req.url === '/_test/clock' && req.method === 'POST') {
        clockOffsetMs = JSON.parse(await readBody(req)).now_ms - realNow();
        res.writeHead(204).end();
        return;
      }
      if (req.url === '/_test/accounts' && req.method === 'POST') {
        for (const [sub, claims] of Object.entries(JSON.parse(await readBody(req)))) {
          accounts.set(sub, claims);
        }
        res.writeHead(204).end();
        return;
      }
      const login = req.url.match(/^\/interaction\/([^/?]+)\/login$/);
      if (login && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const sub = form.get('account');
        if (!accounts.has(sub)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown account');
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: sub } },
          { mergeWithLastSubmission: false });
        return;
      }
      if (/^\/interaction\/[^/?]+$/.test(req.url) && req.method === 'GET') {
        const { uid } = await provider.interactionDetails(req, res);
        const buttons = [...accounts.entries()].map(([sub, claims]) => `
          <form method="post" action="/interaction/${uid}/login">
            <button type="submit" name="account" value="${escapeHtml(sub)}">
              ${escapeHtml(claims.name || sub)}
              (${escapeHtml(claims.email || claims.personal_identity_number || sub)})
            </button>
          </form>`).join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head>
          <body><h1>Test identity provider</h1><p>Sign in as:</p>${buttons}</body></html>`);
        return;
      }
      callback(req, res);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err.message || err));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
