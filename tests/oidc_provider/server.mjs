// An OpenID Connect provider configured like ProConnect's integration environment, for the
// test suite and for trying the button locally. It is oidc-provider (a certified OpenID
// provider), not a mock: discovery, authorisation code flow with state and nonce, acr_values,
// the userinfo answered as a signed JWT (application/jwt), RP-initiated logout.
//
//   node server.mjs [--port 9400]     (prints "READY <issuer>" once it listens)
//
// Environment: CLIENT_ID and CLIENT_SECRET (defaults below, the same as the README's).
// The login page lets you choose a test identity (identities.json) by its address.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const portArg = process.argv.indexOf('--port');
const PORT = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT || 0);
const CLIENT_ID = process.env.CLIENT_ID || 'lab27-local';
const CLIENT_SECRET = process.env.CLIENT_SECRET || 'lab27-local-secret-not-for-production';
// The relying party's paths (one each, whatever its language); any local host and port may
// use them (the tests' servers vary).
const CALLBACK_PATH = /^\/accounts\/proconnect\/login\/callback\/$/;
const LOGGED_OUT_PATH = /^\/accounts\/proconnect\/deconnexion\/$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', 'testserver']);

const IDENTITIES = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(new URL('./identities.json', import.meta.url), 'utf8')))
    .filter(([login]) => !login.startsWith('_')),
);
const BY_SUB = Object.fromEntries(
  Object.entries(IDENTITIES).map(([email, identity]) => [identity.sub, { email, ...identity }]),
);

// Keys made at each start, like a provider's rotation: RS256 for the ID token, ES256 for the
// userinfo (ProConnect uses either), published at the jwks endpoint.
const keyFor = (type, options, alg) => {
  const { privateKey } = generateKeyPairSync(type, options);
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify(jwk)).digest('base64url').slice(0, 16);
  return { ...jwk, kid, alg, use: 'sig' };
};
const RSA = keyFor('rsa', { modulusLength: 2048 }, 'RS256');
const EC = keyFor('ec', { namedCurve: 'P-256' }, 'ES256');

const b64json = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unb64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

// Sign a compact JWS with one of our own keys (to simulate a provider that lies about itself).
function resign(jwt, change) {
  const [header, payload] = jwt.split('.');
  const head = unb64json(header);
  const key = head.kid === EC.kid ? EC : RSA;
  const input = `${header}.${b64json(change(unb64json(payload)))}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: createPrivateKey({ key: key, format: 'jwk' }),
    ...(key.kty === 'EC' ? { dsaEncoding: 'ieee-p1363' } : {}),
  });
  return `${input}.${signature.toString('base64url')}`;
}

function alterSignature(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[8] ^= 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#161616}
h1{font-size:1.4rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;background:#000091;color:#fff;border:0;font-size:1rem;cursor:pointer}
.error{color:#ce0500}code{font-size:.9rem}li{margin:.2rem 0}</style></head>
<body><p><strong>ProConnect</strong> · fournisseur d'identité de test</p>${body}</body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function localUriAllowed(value, path) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname) && path.test(url.pathname);
  } catch {
    return false;
  }
}

const server = createServer();
await new Promise((resolve) => server.listen(PORT, HOST, resolve));
const ISSUER = `http://${HOST}:${server.address().port}`;

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      client_name: 'La 27e Région (local)',
      redirect_uris: [`http://${HOST}/accounts/proconnect/login/callback/`],
      post_logout_redirect_uris: [`http://${HOST}/accounts/proconnect/deconnexion/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      userinfo_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [RSA, EC] },
  // ProConnect's scopes name the claims one by one.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
    siren: ['siren'],
    organizational_unit: ['organizational_unit'],
    belonging_population: ['belonging_population'],
    phone: ['phone'],
    idp_id: ['idp_id'],
    idp_acr: ['idp_acr'],
  },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  routes: {
    authorization: '/authorize',
    token: '/token',
    userinfo: '/userinfo',
    jwks: '/jwks',
    end_session: '/session/end',
  },
  pkce: { required: () => false },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // A real provider asks nothing more: the form posts itself (its button is there without JavaScript).
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Déconnexion',
          `<h1>Déconnexion de ProConnect</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Se déconnecter</button>
<script>document.getElementById('op.logoutForm').requestSubmit(document.querySelector('button[name=logout]'))</script>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Déconnecté', '<h1>Vous êtes déconnecté de ProConnect.</h1>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const identity = BY_SUB[sub];
    if (!identity) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { email, tamper, ...claims } = identity;
        return { ...claims, email, siren: claims.siret?.slice(0, 9) };
      },
    };
  },
  // Consent is not asked (ProConnect asks none): every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    grant.addOIDCClaims(['acr', 'amr', 'auth_time']);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<h1>Erreur</h1><p class="error"><code>${escape(out.error)}</code> : ${escape(out.error_description || '')}</p>`);
  },
});

// Any local relying party (the tests' servers take a free port) with our paths.
const { Client } = provider;
const redirectUriAllowed = Client.prototype.redirectUriAllowed;
Client.prototype.redirectUriAllowed = function allowed(value) {
  return localUriAllowed(value, CALLBACK_PATH) || redirectUriAllowed.call(this, value);
};
const postLogoutAllowed = Client.prototype.postLogoutRedirectUriAllowed;
Client.prototype.postLogoutRedirectUriAllowed = function allowed(value) {
  return localUriAllowed(value, LOGGED_OUT_PATH) || postLogoutAllowed.call(this, value);
};

provider.use(async (ctx, next) => {
  // ProConnect refuses an authorisation request without state or nonce (32 characters at least).
  if (ctx.path === '/authorize' && ctx.method === 'GET') {
    const { state = '', nonce = '' } = ctx.query;
    if (state.length < 32 || nonce.length < 32) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = page('Erreur', '<h1>Erreur</h1><p class="error"><code>invalid_request</code> : state et nonce requis (32 caractères au moins).</p>');
      return;
    }
  }
  await next();
  // The misbehaving identities: their userinfo comes back tampered with.
  if (ctx.oidc?.route === 'userinfo' && ctx.status === 200 && typeof ctx.body === 'string') {
    const tamper = BY_SUB[ctx.oidc.account?.accountId]?.tamper;
    if (tamper === 'signature') ctx.body = alterSignature(ctx.body);
    if (tamper === 'iss') ctx.body = resign(ctx.body, (claims) => ({ ...claims, iss: 'https://usurpateur.test' }));
  }
});

// The login page: choose a test identity by its address (any password, none asked).
async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  const [, , uid, action] = url.pathname.split('/');
  const send = (status, html) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };
  if (req.method === 'POST' && action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: "La personne a annulé l'identification.",
    }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'login') {
    const login = ((await readForm(req)).get('login') || '').trim().toLowerCase();
    const identity = IDENTITIES[login];
    if (identity) {
      const acr = (details.params.acr_values || '').split(' ').find((value) => value) || 'eidas1';
      return provider.interactionFinished(req, res, {
        login: { accountId: identity.sub, acr, amr: ['pwd'] },
      }, { mergeWithLastSubmission: false });
    }
    return send(200, loginPage(uid, `Aucune identité de test pour « ${escape(login)} ».`));
  }
  return send(200, loginPage(uid));
}

function loginPage(uid, error = '') {
  const list = Object.entries(IDENTITIES)
    .map(([email, { siret, tamper, email_verified: verified }]) => {
      const note = tamper ? ` (${tamper} altéré)` : verified === false ? ' (adresse non vérifiée)' : '';
      return `<li><code>${escape(email)}</code> · SIRET ${escape(siret)}${escape(note)}</li>`;
    })
    .join('');
  return page('Connexion', `<h1>Identification</h1>
${error ? `<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Adresse électronique professionnelle</label>
<input id="login" name="login" type="email" autocomplete="username" required autofocus>
<button type="submit">Se connecter</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Annuler</button></form>
<h2>Identités de test</h2><ul>${list}</ul>`);
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, ISSUER);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction: ${error.message}`);
    });
    return;
  }
  callback(req, res);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { server.closeAllConnections(); process.exit(0); });
}
console.log(`READY ${ISSUER}`);
