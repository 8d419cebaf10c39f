/**
 * Hostile input over HTTP. A corpus generated from routeTable(app) sends XSS
 * strings, NoSQL operators (in query strings, form bodies and JSON), 10 000
 * character strings, arrays where strings are expected, invalid UTF-8, null
 * bytes, path traversal, absurd numbers, unknown parameters and odd headers
 * to every route, as an anonymous visitor and as the role the route is for.
 * Every answer must be below 500, French when it is an error, and escape what
 * it reflects. Targeted tests check that operators never change a query's
 * meaning, session fixation, CSRF on every POST route and the security headers.
 *
 * Requests go through a raw node:http client, so that bytes such as %C3%28,
 * %FF or "[$ne]" reach the server exactly as written.
 */
import { CSRF_EXEMPT_PATHS } from '../../src/agents/agents.routes';
import http from 'node:http';
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { routeTable, type RouteEntry } from '../../src/core/route-table';
import { caughtMails } from '../../src/mail/mail-catcher';
import { Member } from '../../src/members/member.model';
import { flushSearchSync, syncNow } from '../../src/search/indexer';
import { testApp } from '../support/agent';
import { type AppServer, csrfTokenOf, type RawAnswer, type RawRequest, rawRequest, startAppServer } from '../support/app-server';
import { buildAdmin, buildAgency, buildApplicant, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

// --- A raw HTTP client with one cookie per persona -------------------------------------------------

type Answer = RawAnswer;

let server: AppServer;
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });
const send = (req: RawRequest) => rawRequest(server.port, req, keepAlive);
const cookieOf = (res: Answer) => res.cookie;
const tokenOf = (res: Answer) => csrfTokenOf(res.text);

interface Session {
  cookie: string;
  token: string;
}

/** A session with its CSRF token, signed in when credentials are given. */
async function openSession(email?: string, password = TEST_PASSWORD): Promise<Session> {
  const login = await send({ method: 'GET', path: '/connexion' });
  let cookie = cookieOf(login);
  let token = tokenOf(login);
  expect(cookie, 'session cookie from /connexion').to.be.a('string');
  if (email) {
    const body = new URLSearchParams({ email, password, _csrf: token! }).toString();
    const res = await send({ method: 'POST', path: '/connexion', headers: { Cookie: cookie!, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status, `sign-in of ${email}: ${res.text.slice(0, 200)}`).to.equal(303);
    cookie = cookieOf(res);
    token = tokenOf(await send({ method: 'GET', path: '/compte', headers: { Cookie: cookie! } }));
  }
  return { cookie: cookie!, token: token! };
}

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
};

// --- What every answer must respect ------------------------------------------------------------

/** Raw fragments of the payloads below: if one appears unescaped in a page, the page is injectable. */
const RAW_MARKERS = ['<script>alert(', '<img src=x onerror', '<svg/onload', '</textarea><script', 'href="javascript:', "href='javascript:"];
/** Express, body-parser, Node and Zod defaults: a page showing one of these was not translated. */
const ENGLISH_DEFAULTS = /Cannot (GET|POST|PUT|DELETE|PATCH)|Internal Server Error|Bad Request|Payload Too Large|Unsupported Media Type|URIError|TypeError|at [A-Za-z.]+ \(\/|node_modules|Invalid (input|option|string|type|email|enum|date|element|key|union)|Too (big|small)|[Ee]xpected (string|number|array|object|boolean)|Unrecognized key|\bRequired\b/;
const FRENCH = /[àâçéèêëîïôûùüÿœ’]|\b(le|la|les|de|des|du|une?|est|pas|vous|votre|cette)\b/i;

const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');

/** The reasons an answer is not acceptable, or [] when it is. */
function problemsOf(res: Answer): string[] {
  const problems: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  if (res.status >= 500) problems.push(`status ${res.status}`);
  // JSON (search answers, the data export) carries what was typed as data: harmless as application/json with nosniff.
  if (!type.startsWith('application/json')) for (const marker of RAW_MARKERS) if (res.text.includes(marker)) problems.push(`unescaped ${marker} in ${type || 'an answer without content type'}`);
  if (type.startsWith('application/json') && res.headers['x-content-type-options'] !== 'nosniff') problems.push('JSON without nosniff');
  if (/pwned/i.test(String(res.headers['set-cookie'] ?? '')) || 'x-injected' in res.headers) problems.push('header injection');
  const location = res.headers.location;
  if (location && !/^\/(?![/\\])/.test(location)) problems.push(`redirect off the site: ${location}`);
  if (res.status >= 400) {
    if (type.startsWith('text/html')) {
      if (!/<html lang="fr">/.test(res.text)) problems.push('error page without lang="fr"');
      const main = /<main[\s\S]*<\/main>/.exec(res.text)?.[0] ?? res.text;
      if (!FRENCH.test(textOf(main))) problems.push('error page without French text');
      if (ENGLISH_DEFAULTS.test(textOf(main))) problems.push(`English or technical error text: ${textOf(main).replace(/\s+/g, ' ').slice(0, 120)}`);
    } else if (type.startsWith('application/json')) {
      const message = (() => {
        try {
          return String((JSON.parse(res.text) as { error?: { message?: string } }).error?.message ?? '');
        } catch {
          return '';
        }
      })();
      if (!FRENCH.test(message)) problems.push(`JSON error without a French message: ${res.text.slice(0, 120)}`);
    } else {
      problems.push(`error answered as ${type || 'no content type'}: ${res.text.slice(0, 80)}`);
    }
  }
  return problems;
}

// --- The corpus ----------------------------------------------------------------------------------

type Persona = 'anonymous' | 'member' | 'moderator' | 'admin';

interface HostileRequest extends RawRequest {
  persona: Persona;
  family: string;
}

const LONG = 'A'.repeat(10_000);
/** Values placed where the app expects a short string. */
const VALUES: Array<[family: string, value: string]> = [
  ['xss', '<script>alert("xss")</script>'],
  ['xss', '"><img src=x onerror=alert(1)>'],
  ['xss', "'><svg/onload=alert(1)>"],
  ['xss', '</textarea><script>alert(1)</script>'],
  ['xss', 'javascript:alert(1)'],
  ['template', '{{constructor.constructor("alert(1)")()}}'],
  ['operator-string', '{"$gt": ""}'],
  ['operator-string', '{"$ne": null}'],
  ['long', LONG],
  ['traversal', '../../../../etc/passwd'],
  ['traversal', '..\\..\\..\\windows\\win.ini'],
  ['null-byte', 'a\u0000b'],
  ['null-byte', '\u0000'],
  ['number', '1e309'],
  ['number', '-1'],
  ['number', '99999999999999999999999999'],
  ['number', 'NaN'],
  ['number', '0x1F'],
  ['unicode', '\u202Egnp.exe'],
  ['unicode', '😀'.repeat(40)],
  ['unicode', 'e\u0301\u200B\uFEFF'],
  ['crlf', 'x\r\nSet-Cookie: pwned=1\r\nX-Injected: 1'],
  ['sql', "' OR '1'='1' --"],
  ['empty', ''],
  ['empty', '   '],
];

/** Raw query or body fragments for a parameter `n`, written exactly as sent. */
const STRUCTURES: Array<[family: string, build: (n: string) => string]> = [
  ['operator-key', (n) => `${n}[$ne]=x`],
  ['operator-key', (n) => `${n}[$gt]=`],
  ['operator-key', (n) => `${n}[$regex]=.*`],
  ['operator-key', (n) => `${n}[$where]=1`],
  ['array', (n) => `${n}=a&${n}=b`],
  ['array', (n) => `${n}[]=a`],
  ['nested', (n) => `${n}[a][b]=c`],
  ['invalid-utf8', (n) => `${n}=%C3%28`],
  ['invalid-utf8', (n) => `${n}=%FF%FE`],
  ['invalid-utf8', (n) => `${n}=%E0%80%80`],
  ['invalid-utf8', (n) => `${n}=%ED%A0%80`],
  ['bad-percent', (n) => `${n}=%`],
  ['bad-percent', (n) => `${n}=%zz`],
  ['unknown', () => 'parametre_inconnu=1'],
  ['prototype', () => '__proto__[admin]=1'],
  ['prototype', () => 'constructor[prototype][admin]=1'],
];

/**
 * The variants a route gets: every XSS string (each escapes a different
 * context), and for the other families one variant, rotating with the route
 * so that every variant is sent to some routes.
 */
function pick<T extends [string, unknown]>(list: T[], r: number, keepAll: string[] = []): T[] {
  const families = [...new Set(list.map(([f]) => f))];
  return families.flatMap((f) => {
    const variants = list.filter(([family]) => family === f);
    return keepAll.includes(f) ? variants : [variants[r % variants.length]];
  });
}

/** Values for :id and :token path parameters, already encoded. */
const PATH_PARAMS: Array<[family: string, raw: string]> = [
  ['id-unknown', String(new Types.ObjectId())],
  ['operator-path', encodeURIComponent('{"$ne":null}')],
  ['operator-path', '%5B%24ne%5D'],
  ['xss-path', encodeURIComponent('<script>alert(1)</script>')],
  ['traversal-path', '..%2F..%2F..%2Fetc%2Fpasswd'],
  ['traversal-path', '%2e%2e'],
  ['null-byte-path', 'abc%00def'],
  ['invalid-utf8-path', '%C3%28'],
  ['invalid-utf8-path', '%FF'],
  ['bad-percent-path', '%E0%A4%A'],
  ['long-path', 'a'.repeat(2000)],
  ['number-path', '99999999999999999999999'],
];

const QUERY_NAMES = ['q', 'departement', 'region', 'type', 'thematique', 'tri', 'page', 'retour', 'organisme', 'etat', 'statut'];
/** For routes without a form to read their field names from. */
const FALLBACK_FIELDS = ['reason', 'reasonCode', 'text', 'note', 'decision', 'kind', 'useful', 'tags', 'email', 'value'];

const pattern = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);

describe('hostile input', function () {
  this.timeout(120_000);
  const sessions = {} as Record<Persona, Session>;
  const ids = { contact: '', agency: '', applicant: '', member: '', moderatorSelf: '', adminSelf: '' };
  let routes: RouteEntry[];

  before(async function () {
    this.timeout(60_000);
    server = await startAppServer();
    routes = routeTable(testApp());
    const member = await buildMember({ firstName: 'Mona', lastName: 'Membre' });
    const moderator = await buildModerator(['52'], { firstName: 'Marc', lastName: 'Modérateur' });
    const admin = await buildAdmin();
    const author = await buildMember();
    const agency = await buildAgency({ name: 'CAF de Loire-Atlantique', commune: 'Nantes' });
    await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM', commune: 'Nantes' });
    ids.contact = String((await buildContact(agency, { service: 'Cellule partenaires RSA', createdBy: author._id }))._id);
    await buildContact(agency, { service: 'Accueil familles', topics: ['PRESTATIONS_FAMILIALES'] });
    ids.agency = String(agency._id);
    ids.applicant = String((await buildApplicant({ firstName: 'Ali', lastName: 'Candidat' }))._id);
    ids.member = String(member._id);
    ids.moderatorSelf = String(moderator._id);
    ids.adminSelf = String(admin._id);
    await syncNow();
    sessions.anonymous = await openSession();
    sessions.member = await openSession(member.email);
    sessions.moderator = await openSession(moderator.email);
    sessions.admin = await openSession(admin.email);
    // A contact proposed through the form, so that the moderation queue has an item to open.
    const proposed = await send({
      method: 'POST',
      path: '/contacts/nouveau',
      headers: { Cookie: sessions.member.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ ...validBodies['/contacts/nouveau'](), service: 'Service contentieux', _csrf: sessions.member.token }),
    });
    expect(proposed.status, proposed.text.slice(0, 300)).to.equal(303);
  });

  after(async () => {
    keepAlive.destroy();
    await server.close();
    // The corpus wrote contacts: let their search sync end here, not during the next file's clean-up.
    await flushSearchSync();
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const concrete = (path: string, persona: Persona = 'member') =>
    path
      .replace(/\/membres\/:id/, `/membres/${ids.applicant}`)
      .replace(/\/organismes\/:id/, `/organismes/${ids.agency}`)
      .replace(/\/moderateurs\/:id/, `/moderateurs/${persona === 'admin' ? ids.member : ids.applicant}`)
      .replace(/:id\b/g, ids.contact)
      .replace(/:token\b/g, 'A'.repeat(43));

  const personaFor = (route: RouteEntry): Persona =>
    route.access === 'admin' ? 'admin' : route.access === 'moderator' ? 'moderator' : route.access === 'public' ? 'anonymous' : 'member';

  interface Surface {
    /** Field names of each POST route's forms. */
    fields: Map<RouteEntry, string[]>;
    /** Query parameter names of each GET route, from GET forms and links. */
    params: Map<RouteEntry, string[]>;
    /** Real paths found in links and form actions for routes with parameters (e.g. a moderation item). */
    paths: Map<RouteEntry, string>;
  }

  /**
   * Opens every page the personas can reach (and the pages their links lead
   * to, once per route) and reads the forms and links, to learn each route's
   * field and parameter names and real paths for its parameters.
   */
  async function crawl(): Promise<Surface> {
    const fields = new Map<RouteEntry, Set<string>>();
    const params = new Map<RouteEntry, Set<string>>();
    const paths = new Map<RouteEntry, string>();
    const find = (method: string, url: string) => routes.find((r) => r.method === method && pattern(r.path).test(url.split('?')[0]));
    const note = (map: Map<RouteEntry, Set<string>>, route: RouteEntry | undefined, names: Iterable<string>) => {
      if (!route) return;
      const set = map.get(route) ?? new Set<string>();
      for (const n of names) if (n !== '_csrf') set.add(n);
      map.set(route, set);
    };
    // Never aim the corpus at the shared sessions' own accounts (an admin could withdraw the moderator's rights).
    const usable = (url: string) => ![ids.moderatorSelf, ids.adminSelf, ids.member].some((id) => url.includes(id));
    note(params, find('GET', '/connexion'), ['retour']);
    const queue: Array<[string, Persona]> = routes
      .filter((r) => r.method === 'GET' && r.path !== '/health')
      .flatMap((r) => (r.access === 'public' ? (['anonymous', 'member'] as Persona[]) : [personaFor(r)]).map((p): [string, Persona] => [concrete(r.path, p), p]));
    const seen = new Set<string>();
    while (queue.length) {
      const [path, persona] = queue.shift()!;
      if (seen.has(`${persona} ${path}`)) continue;
      seen.add(`${persona} ${path}`);
      const page = await send({ method: 'GET', path, headers: { Cookie: sessions[persona].cookie } });
      for (const m of page.text.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
        const action = (/action="([^"]+)"/.exec(m[1])?.[1] ?? path).replace(/&amp;/g, '&');
        const method = /method="post"/i.test(m[1]) ? 'POST' : 'GET';
        const route = find(method, action);
        note(method === 'POST' ? fields : params, route, [...m[2].matchAll(/name="([^"]+)"/g)].map((n) => n[1]));
        if (route && /:/.test(route.path) && !paths.has(route) && usable(action)) paths.set(route, action.split('?')[0]);
      }
      for (const m of page.text.matchAll(/href="(\/[^"?#]*)(?:\?([^"#]*))?"/g)) {
        const route = find('GET', m[1]);
        if (!route) continue;
        if (m[2]) note(params, route, [...new URLSearchParams(m[2].replace(/&amp;/g, '&')).keys()]);
        if (/:/.test(route.path) && !paths.has(route) && usable(m[1])) {
          paths.set(route, m[1]);
          queue.push([m[1], persona]);
        }
      }
    }
    const list = (map: Map<RouteEntry, Set<string>>, route: RouteEntry) => [...(map.get(route) ?? [])];
    return {
      fields: new Map(routes.filter((r) => r.method === 'POST').map((r) => [r, list(fields, r).length ? list(fields, r) : FALLBACK_FIELDS])),
      params: new Map(routes.filter((r) => r.method === 'GET').map((r) => [r, list(params, r)])),
      paths,
    };
  }

  /** Valid bodies for the forms that write, so that one hostile field at a time reaches the service and the pages that show it. */
  const validBodies: Record<string, () => Record<string, string | string[]>> = {
    '/contacts/nouveau': () => ({
      agencyMode: 'existing', agencyId: ids.agency, kind: 'service_line', service: 'Pôle accès aux droits', phone1: nextFictionalNumber('44'), phone1Kind: 'service', topics: 'RSA',
    }),
    '/compte': () => ({ firstName: 'Mona', lastName: 'Membre', profession: 'ass', employer: 'CCAS de Nantes', departement: '44' }),
    '/moderation/membres/:id/refuser': () => ({ reason: 'Profession non vérifiable.' }),
    '/contacts/:id/utile': () => ({ useful: 'oui' }),
    '/mot-de-passe-oublie': () => ({ email: 'personne@ccas-test.fr' }),
  };

  function corpus({ fields, params, paths }: Surface): HostileRequest[] {
    const out: HostileRequest[] = [];
    routes.forEach((route, r) => {
      const own = personaFor(route);
      // Signing out the shared sessions would end the run's other requests.
      const personas: Persona[] = route.path === '/deconnexion' ? ['anonymous'] : own === 'anonymous' ? ['anonymous', 'member'] : [own, 'anonymous'];
      for (const persona of personas) {
        const light = persona !== own; // the other persona gets a sample
        const s = sessions[persona];
        const path = paths.get(route) ?? concrete(route.path, persona);
        const cookie = { Cookie: s.cookie };
        const add = (family: string, req: RawRequest) => out.push({ persona, family, ...req, headers: { ...cookie, ...req.headers } });
        const step = light ? 4 : 1;
        const values = pick(VALUES, r + (light ? 1 : 0), ['xss']);
        const structures = pick(STRUCTURES, r, ['array']);

        if (route.method === 'GET') {
          const known = params.get(route) ?? [];
          const names = known.length ? known : QUERY_NAMES;
          values.forEach(([family, value], i) => {
            if (i % step) return;
            // Each XSS string goes into every parameter the route really reads (a page may echo any of them).
            const targets = family === 'xss' && known.length && !light ? known : [names[(i + r) % names.length]];
            for (const name of targets) add(family, { method: 'GET', path: `${path}?${name}=${encodeURIComponent(value)}` });
          });
          structures.forEach(([family, build], i) => {
            if (i % step) return;
            add(family, { method: 'GET', path: `${path}?${build(names[(i + r) % names.length])}` });
          });
          if (!light) {
            add('unknown', { method: 'GET', path: `${path}?${QUERY_NAMES.map((n) => `${n}=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`).join('&')}` });
            add('accept-json', { method: 'GET', path: `${path}?q=${encodeURIComponent('<script>alert(1)</script>')}`, headers: { Accept: 'application/json' } });
            add('accept-odd', { method: 'GET', path, headers: { Accept: 'text/html;q=bad, */*;q=0.1' } });
            add('cookie-garbage', { method: 'GET', path, headers: { Cookie: `${s.cookie}; ld.sid=%E0%A4%A; x=${'y'.repeat(3000)}` } });
            add('method', { method: 'PUT', path, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
            add('method', { method: 'DELETE', path });
          }
        } else {
          const names = fields.get(route) ?? FALLBACK_FIELDS;
          const base = validBodies[route.path];
          const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
          const post = (family: string, body: string | Buffer, headers: Record<string, string> = formHeaders) => add(family, { method: 'POST', path, headers, body });
          values.forEach(([family, value], i) => {
            if (i % step) return;
            const name = names[(i + r) % names.length];
            post(family, form({ ...(base?.() ?? {}), [name]: value, _csrf: s.token }));
          });
          if (!light) {
            // Every field at once, and each field with the most telling payloads.
            for (const [family, value] of VALUES.filter(([f]) => ['xss', 'long', 'operator-string'].includes(f))) {
              post(`${family}-all-fields`, form({ ...Object.fromEntries(names.map((n) => [n, value])), _csrf: s.token }));
            }
            if (base) {
              for (const name of names) post('xss-one-valid-form', form({ ...base(), [name]: `<script>alert("${name}")</script>`, _csrf: s.token }));
            }
          }
          structures.forEach(([family, build], i) => {
            if (i % step) return;
            post(family, `${build(names[(i + r) % names.length])}&_csrf=${encodeURIComponent(s.token)}`);
          });
          const jsonHeaders = { 'Content-Type': 'application/json', 'X-CSRF-Token': s.token };
          post('json-operator', JSON.stringify({ [names[0]]: { $gt: '' }, [names[names.length - 1]]: { $ne: null } }), jsonHeaders);
          if (!light) {
            post('json-operator', JSON.stringify({ email: { $ne: null }, password: { $ne: null }, _csrf: s.token }), jsonHeaders);
            post('json-array', JSON.stringify({ [names[0]]: ['a', 'b'], _csrf: s.token }), jsonHeaders);
            post('json-number', JSON.stringify({ [names[0]]: 1e308, _csrf: s.token }), jsonHeaders);
            post('json-prototype', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}}', jsonHeaders);
            post('json-syntax', '{"a":', jsonHeaders);
            post('content-type', `${names[0]}=x`, { 'Content-Type': 'text/plain', 'X-CSRF-Token': s.token });
            post('content-type', `--b\r\nContent-Disposition: form-data; name="${names[0]}"\r\n\r\nx\r\n--b--\r\n`, { 'Content-Type': 'multipart/form-data; boundary=b' });
            post('charset', form({ [names[0]]: 'x', _csrf: s.token }), { 'Content-Type': 'application/x-www-form-urlencoded; charset=latin1' });
            post('encoding', Buffer.from('not gzip at all'), { ...formHeaders, 'Content-Encoding': 'gzip' });
            post('encoding', form({ _csrf: s.token }), { ...formHeaders, 'Content-Encoding': 'x-unknown' });
            post('raw-bytes', Buffer.concat([Buffer.from(`${names[0]}=`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00]), Buffer.from(`&_csrf=${encodeURIComponent(s.token)}`)]));
            post('too-large', form({ [names[0]]: 'x'.repeat(70_000), _csrf: s.token }));
            post('too-many-parameters', `${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}&_csrf=${encodeURIComponent(s.token)}`);
            post('csrf-missing', form({ [names[0]]: 'x' }));
            post('csrf-forged', form({ [names[0]]: 'x', _csrf: 'forged' }));
          }
        }
        if (/:/.test(route.path) && !light) {
          for (const [family, raw] of pick(PATH_PARAMS, r)) {
            const hostilePath = route.path.replace(/:[A-Za-z]+/g, raw);
            if (route.method === 'GET') add(family, { method: 'GET', path: hostilePath });
            else add(family, { method: 'POST', path: hostilePath, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ _csrf: s.token }) });
          }
        }
      }
    });
    // Paths outside the routes: static files and traversal attempts.
    for (const raw of ['/static/..%2f..%2fpackage.json', '/static/%2e%2e/%2e%2e/.env', '/static/css/..%5c..%5c..%5cpackage.json', '/static/css/app.css%00.html', '/static/%C3%28', '/..%2f..%2fetc%2fpasswd', '/%FF', '/contacts/%C3%28/vcard', `/${'x'.repeat(5000)}`]) {
      out.push({ persona: 'anonymous', family: 'traversal-static', method: 'GET', path: raw });
      out.push({ persona: 'member', family: 'traversal-static', method: 'GET', path: raw, headers: { Cookie: sessions.member.cookie } });
    }
    return out;
  }

  /** Runs `requests` eight at a time and returns every unacceptable answer. */
  async function run(requests: HostileRequest[]): Promise<{ failures: string[]; statuses: Map<number, number>; slowest: number }> {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let slowest = 0;
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++];
        const res = await send(req).catch((err: Error) => ({ status: 599, headers: {}, text: err.message, ms: 0 }) as Answer);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        slowest = Math.max(slowest, res.ms);
        const problems = problemsOf(res);
        if (problems.length) failures.push(`${req.persona} ${req.method} ${req.path.slice(0, 140)} [${req.family}] → ${res.status}: ${problems.join('; ')}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return { failures, statuses, slowest };
  }

  it('answers a generated corpus of hostile requests to every route without a 5xx, in French, escaping what it reflects', async function () {
    this.timeout(180_000);
    const surface = await crawl();
    const requests = corpus(surface);
    const started = Date.now();

    const { failures, statuses, slowest } = await run(requests);

    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    process.stdout.write(`      ${requests.length} hostile requests in ${((Date.now() - started) / 1000).toFixed(1)} s (slowest ${slowest} ms): ${summary}\n`);
    expect(requests.length).to.be.at.least(2000);
    expect(new Set(requests.map((r) => r.path.split('?')[0].replace(/[a-f0-9]{24}/g, ':id'))).size).to.be.greaterThan(routes.length / 2);
    expect(failures.length, `${failures.length} unacceptable answers:\n${failures.slice(0, 60).join('\n')}`).to.equal(0);
    expect([...statuses.keys()].filter((s) => s >= 500)).to.deep.equal([]);
  });

  it('shows what the corpus stored (names, contact fields) escaped on the pages that display it, moderation screens included', async () => {
    const stored = await Contact.find({ createdBy: new Types.ObjectId(ids.member) }).lean();
    const pages = ['/compte', '/', '/recherche?q=&departement=', ...stored.map((c) => `/contacts/${c._id}`), `/organismes/${ids.agency}`];

    const failures: string[] = [];
    for (const path of pages) {
      const res = await send({ method: 'GET', path, headers: { Cookie: sessions.member.cookie } });
      for (const p of problemsOf(res)) failures.push(`${path}: ${p}`);
    }
    // The moderators' screens show what members typed: the applications, the queue and each item.
    const asModerator = (path: string) => send({ method: 'GET', path, headers: { Cookie: sessions.moderator.cookie } });
    const queue = await asModerator('/moderation/file');
    const items = [...new Set([...queue.text.matchAll(/href="(\/moderation\/elements\/[a-f0-9]{24})"/g)].map((m) => m[1]))].slice(0, 40);
    for (const path of ['/moderation/membres', '/moderation/file', ...items]) {
      for (const p of problemsOf(path === '/moderation/file' ? queue : await asModerator(path))) failures.push(`${path}: ${p}`);
    }

    expect(stored.length, 'contacts created through the corpus').to.be.greaterThan(0);
    expect(items.length, 'moderation items opened').to.be.greaterThan(0);
    expect(stored.some((c) => /<script>/.test(JSON.stringify(c)))).to.equal(true);
    expect(failures).to.deep.equal([]);
  });

  describe('over-long fields, wrong types and invalid encodings', () => {
    it('answer a French 4xx page (forms: the field’s own message)', async () => {
      const member = { Cookie: sessions.member.cookie };
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        send({ method: 'POST', path, headers: { ...member, 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });
      const token = encodeURIComponent(sessions.member.token);
      const profile = `lastName=Membre&profession=ass&employer=CCAS&departement=44&_csrf=${token}`;
      const cases: Array<[string, Promise<Answer>, number, string]> = [
        // Query parameters: one generic page (the field messages are not shown, see the report).
        ['10 000-character search', send({ method: 'GET', path: `/recherche?q=${LONG}`, headers: member }), 400, 'Les paramètres de la demande sont invalides.'],
        ['page 1e309', send({ method: 'GET', path: '/recherche?q=caf&page=1e309', headers: member }), 400, 'Les paramètres de la demande sont invalides.'],
        ['page 10^26', send({ method: 'GET', path: '/recherche?q=caf&page=99999999999999999999999999', headers: member }), 400, 'Les paramètres de la demande sont invalides.'],
        ['two values for q', send({ method: 'GET', path: '/recherche?q=a&q=b', headers: member }), 400, 'Les paramètres de la demande sont invalides.'],
        ['10 000-character first name', post('/compte', `firstName=${LONG}&${profile}`), 422, '80 caractères au plus.'],
        ['first name as an array', post('/compte', `firstName=a&firstName=b&${profile}`), 422, 'Indiquez votre prénom.'],
        ['invalid UTF-8 in a path', send({ method: 'GET', path: '/contacts/%C3%28', headers: member }), 400, 'Adresse de page invalide.'],
        ['a body over 64 KB', post('/compte', `firstName=${'x'.repeat(70_000)}&${profile}`), 413, 'Les informations envoyées sont trop volumineuses.'],
        ['300 parameters', post('/compte', `${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}&${profile}`), 413, 'Envoi trop volumineux'],
        ['a Latin-1 form', post('/compte', `firstName=x&${profile}`, { 'Content-Type': 'application/x-www-form-urlencoded; charset=latin1' }), 415, 'Encodage non pris en charge : envoyez le formulaire en UTF-8.'],
        ['an unknown content encoding', post('/compte', `firstName=x&${profile}`, { 'Content-Encoding': 'x-inconnu' }), 415, 'Encodage non pris en charge'],
      ];

      for (const [label, pending, status, message] of cases) {
        const res = await pending;
        expect([res.status, problemsOf(res)], label).to.deep.equal([status, []]);
        expect(res.text, label).to.include(message);
      }
    });

    it('treat invalid UTF-8 and unknown parameters in a query as text to ignore or show, never as an error', async () => {
      const json = (path: string) => send({ method: 'GET', path, headers: { Cookie: sessions.member.cookie, Accept: 'application/json' } });

      const broken = await json('/recherche?q=%C3%28');
      const unknown = await json('/recherche?q=caf&parametre_inconnu=1&__proto__[admin]=1');
      const plain = await json('/recherche?q=caf');

      expect(broken.status).to.equal(200);
      expect(JSON.parse(broken.text).query).to.equal('\uFFFD(');
      expect(unknown.status).to.equal(200);
      expect(JSON.parse(unknown.text).total).to.equal(JSON.parse(plain.text).total);
    });
  });

  describe('NoSQL operators never change what a request means', () => {
    it('does not sign anyone in with operators in the sign-in form or in JSON', async () => {
      const s = await openSession();
      const headers = { Cookie: s.cookie, 'Content-Type': 'application/x-www-form-urlencoded' };

      const formOps = await send({ method: 'POST', path: '/connexion', headers, body: `email[$ne]=x&password[$ne]=x&_csrf=${encodeURIComponent(s.token)}` });
      const formOps2 = await send({ method: 'POST', path: '/connexion', headers, body: `email[$gt]=&password[$gt]=&_csrf=${encodeURIComponent(s.token)}` });
      const jsonOps = await send({ method: 'POST', path: '/connexion', headers: { Cookie: s.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': s.token }, body: JSON.stringify({ email: { $ne: null }, password: { $ne: null } }) });
      const realEmail = (await Member.findById(ids.member).lean())!.email;
      const halfOps = await send({ method: 'POST', path: '/connexion', headers, body: `email=${encodeURIComponent(realEmail)}&password[$ne]=x&_csrf=${encodeURIComponent(s.token)}` });
      const account = await send({ method: 'GET', path: '/compte', headers: { Cookie: s.cookie } });

      for (const res of [formOps, formOps2, jsonOps, halfOps]) {
        expect(res.status).to.be.within(400, 499);
        expect(problemsOf(res)).to.deep.equal([]);
      }
      expect(formOps.text).to.include('Indiquez votre adresse e-mail.');
      expect(account.status).to.equal(303);
      expect(account.headers.location).to.match(/^\/connexion/);
    });

    it('treats "departement[$ne]", "q[$ne]" and "q[$regex]" in the search as unknown text parameters: same results as without them', async () => {
      const json = (path: string) => send({ method: 'GET', path, headers: { Cookie: sessions.member.cookie, Accept: 'application/json' } });
      const plain = await json('/recherche?q=caf');
      const all = await json('/recherche?q=');

      const dept = await json('/recherche?q=caf&departement[$ne]=x');
      const q = await json('/recherche?q[$ne]=x');
      const regex = await json('/recherche?q[$regex]=.*&departement[$gt]=');
      const asText = await json(`/recherche?q=caf&departement=${encodeURIComponent('{"$ne":null}')}`);
      const suggest = await json('/organismes/suggestions?q[$regex]=.*');
      const suggestPlain = await json('/organismes/suggestions?q=');

      const total = (res: Answer) => (JSON.parse(res.text) as { total: number }).total;
      expect(plain.status).to.equal(200);
      expect(total(plain)).to.be.greaterThan(0);
      expect([dept.status, total(dept)]).to.deep.equal([200, total(plain)]);
      expect([q.status, total(q)]).to.deep.equal([200, total(all)]);
      expect([regex.status, total(regex)]).to.deep.equal([200, total(all)]);
      expect(asText.status).to.equal(400);
      expect(problemsOf(asText)).to.deep.equal([]);
      expect(suggest.status).to.equal(200);
      expect(suggest.text).to.equal(suggestPlain.text);
    });

    it('keeps stored values as they were when a form sends operators, and sends no mail for an operator e-mail', async () => {
      const before = await Member.findById(ids.member).lean();
      const mailsBefore = caughtMails().length;
      const headers = { Cookie: sessions.member.cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
      const token = encodeURIComponent(sessions.member.token);

      const profile = await send({ method: 'POST', path: '/compte', headers, body: `firstName=Mona&lastName=Membre&profession=ass&employer=CCAS&departement[$ne]=x&_csrf=${token}` });
      const forgot = await send({ method: 'POST', path: '/mot-de-passe-oublie', headers, body: `email[$ne]=x&_csrf=${token}` });
      const unknownId = await send({ method: 'GET', path: `/contacts/${encodeURIComponent('{"$ne":null}')}`, headers: { Cookie: sessions.member.cookie } });
      const approveAny = await send({ method: 'POST', path: '/moderation/membres/%5B%24ne%5D/approuver', headers: { Cookie: sessions.moderator.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(sessions.moderator.token)}` });

      expect(profile.status).to.equal(422);
      expect(profile.text).to.include('Choisissez votre département d’exercice');
      expect((await Member.findById(ids.member).lean())!.departement).to.equal(before!.departement);
      expect(forgot.status).to.equal(422);
      expect(caughtMails().length).to.equal(mailsBefore);
      expect(unknownId.status).to.equal(404);
      expect(approveAny.status).to.equal(400);
      expect(await Member.countDocuments({ status: 'pending', _id: ids.applicant })).to.be.at.most(1);
      for (const res of [profile, forgot, unknownId, approveAny]) expect(problemsOf(res)).to.deep.equal([]);
    });
  });

  describe('sessions', () => {
    it('does not keep a session id planted before sign-in (session fixation)', async () => {
      const member = await buildMember();
      const attacker = await openSession();
      const forged = 'ld.sid=s%3Aforged-session-id.c2lnbmF0dXJl';

      // The victim signs in with the attacker's session cookie planted in the browser.
      const signIn = await send({ method: 'POST', path: '/connexion', headers: { Cookie: attacker.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ email: member.email, password: TEST_PASSWORD, _csrf: attacker.token }) });
      const victimCookie = cookieOf(signIn);
      const attackerView = await send({ method: 'GET', path: '/compte', headers: { Cookie: attacker.cookie } });
      const victimView = await send({ method: 'GET', path: '/compte', headers: { Cookie: victimCookie! } });
      const withForged = await send({ method: 'GET', path: '/connexion', headers: { Cookie: forged } });

      expect(signIn.status).to.equal(303);
      expect(victimCookie).to.match(/^ld\.sid=/).and.not.equal(attacker.cookie);
      expect(String(signIn.headers['set-cookie'])).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
      expect(attackerView.status).to.equal(303);
      expect(attackerView.headers.location).to.match(/^\/connexion/);
      expect(victimView.status).to.equal(200);
      expect(cookieOf(withForged)).to.match(/^ld\.sid=/).and.not.equal(forged);
    });

    it('never redirects off the site after sign-in, whatever « retour » says', async () => {
      const member = await buildMember();
      const targets = ['//evil.example', '/\\evil.example', 'https://evil.example', '/%09/evil.example', '/\t/evil.example', 'javascript:alert(1)', `/${'a'.repeat(600)}`, '/recherche?q=caf'];
      const locations: string[] = [];

      for (const retour of targets) {
        const s = await openSession();
        const res = await send({ method: 'POST', path: '/connexion', headers: { Cookie: s.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ email: member.email, password: TEST_PASSWORD, retour, _csrf: s.token }) });
        // A « retour » longer than the form ever writes (500) is refused as invalid input.
        expect(res.status, retour).to.equal(retour.length > 500 ? 422 : 303);
        locations.push(String(res.headers.location ?? '/'));
      }

      for (const location of locations) expect(location).to.match(/^\/(?![/\\])/).and.not.match(/[\t\r\n]/);
      // Off-site forms fall back to the home page; a tab is percent-encoded, so it stays a path on this site.
      expect([locations[0], locations[1], locations[2], locations[5]]).to.deep.equal(['/', '/', '/', '/']);
      expect([locations[3], locations[4]]).to.deep.equal(['/%09/evil.example', '/%09/evil.example']);
      expect(locations.at(-1)).to.equal('/recherche?q=caf');
    });
  });

  describe('CSRF', () => {
    it('answers 403 in French to every POST route without a valid token, whoever sends it', async () => {
      const other = await openSession();
      const failures: string[] = [];

      // The one POST without a form: a mail client's one-click unsubscribe (RFC 8058) carries no session;
      // its link is the authority and it can only stop campaign e-mails (test/agents/agents.routes.test.ts).
      for (const route of routes.filter((r) => r.method === 'POST' && !CSRF_EXEMPT_PATHS.includes(r.path))) {
        const persona = personaFor(route);
        const s = sessions[persona];
        const path = concrete(route.path, persona);
        const headers = { Cookie: s.cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
        const attempts: Array<[string, RawRequest]> = [
          ['no token', { method: 'POST', path, headers, body: 'a=1' }],
          ['forged token', { method: 'POST', path, headers, body: form({ _csrf: 'forged' }) }],
          ['token of another session', { method: 'POST', path, headers, body: form({ _csrf: other.token }) }],
          ['JSON without header', { method: 'POST', path, headers: { Cookie: s.cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ _csrf: s.token }) }],
          ['no session at all', { method: 'POST', path, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ _csrf: s.token }) }],
        ];
        for (const [label, req] of attempts) {
          const res = await send(req);
          if (res.status !== 403 || !res.text.includes('Ce formulaire a expiré ou ne vient pas de Ligne directe') || problemsOf(res).length) {
            failures.push(`${route.path} as ${persona}, ${label}: ${res.status} ${problemsOf(res).join('; ')}`);
          }
        }
      }

      expect(routes.filter((r) => r.method === 'POST').length).to.be.greaterThan(10);
      expect(failures).to.deep.equal([]);
    });
  });

  describe('security headers', () => {
    it('sends a strict CSP, no framing, nosniff, a referrer policy and noindex on pages, errors, files and probes', async () => {
      const pages: Array<[string, Session | undefined]> = [
        ['/', undefined],
        ['/connexion', undefined],
        ['/inscription', undefined],
        ['/recherche?q=caf', sessions.member],
        [`/contacts/${ids.contact}`, sessions.member],
        ['/compte', sessions.member],
        ['/moderation/membres', sessions.moderator],
        ['/moderation/membres', sessions.member],
        ['/pas-de-page-ici', undefined],
        ['/static/css/app.css', undefined],
        ['/static/js/app.js', undefined],
        ['/robots.txt', undefined],
        ['/health', undefined],
      ];

      for (const [path, s] of pages) {
        const res = await send({ method: 'GET', path, headers: s ? { Cookie: s.cookie } : {} });
        const csp = String(res.headers['content-security-policy'] ?? '');
        const label = `${path} (${res.status})`;

        expect(csp, label).to.include("default-src 'self'").and.include("script-src 'self'").and.include("frame-ancestors 'none'").and.include("object-src 'none'").and.include("base-uri 'none'").and.include("form-action 'self'");
        expect(csp, label).not.to.match(/unsafe-inline|unsafe-eval|\*/);
        expect(csp, label).to.match(/style-src 'self'(;|$)/);
        expect(res.headers['x-content-type-options'], label).to.equal('nosniff');
        expect(res.headers['referrer-policy'], label).to.be.oneOf(['same-origin', 'no-referrer', 'strict-origin', 'strict-origin-when-cross-origin']);
        expect(res.headers['x-robots-tag'], label).to.include('noindex');
        expect(res.headers['x-frame-options'], label).to.be.oneOf(['DENY', 'SAMEORIGIN']);
        expect(res.headers['x-powered-by'], label).to.equal(undefined);
        expect(res.headers['cross-origin-opener-policy'], label).to.equal('same-origin');
      }
      const search = await send({ method: 'GET', path: '/recherche?q=caf', headers: { Cookie: sessions.member.cookie } });
      expect(search.headers['cache-control']).to.include('no-store');
    });
  });
});
