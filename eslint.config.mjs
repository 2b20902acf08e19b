// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependencies point inward: extension -> host -> client/server -> protocol -> crypto. Each layer is
// entered through its index (src/crypto/limits.ts is crypto's one browser-safe file, which the panel
// shares); src/protocol is one module per boundary, imported module by module. The webview sees only
// the browser-safe protocol modules. Matched on the import text, at any depth of ../
const up = String.raw`^(?:\.\./)+`;
const ban = {
  cryptoDeep: { regex: `${up}crypto/(?!limits$)`, message: 'Enter src/crypto through its index (or crypto/limits for the shared limits).' },
  cryptoButLimits: { regex: `${up}crypto(?!/limits$)(?:/|$)`, message: 'The webview may use crypto/limits only: no keys or Node crypto in the page.' },
  // The store's worker threads read envelope headers only. Through the index they would load
  // @noble/curves, an ES module, by require(): under Node 20 that can abort the whole process when
  // a worker is terminated while it loads (seen in the tests' server restarts).
  cryptoDeepButHeader: { regex: `${up}crypto/(?!limits$|envelopeHeader$)`, message: 'Enter src/crypto through its index (or crypto/envelopeHeader for what the store\'s worker threads read).' },
  protocol: { regex: `${up}protocol(?:/|$)`, message: 'crypto is the innermost layer; it must not import protocol.' },
  nodeProtocol: { regex: `${up}protocol/(?:wire|base64|serverIpc)$`, message: 'The webview may use the browser-safe protocol modules only.' },
  client: { regex: `${up}client(?:/|$)`, message: 'Imports point inward: this layer must not import the client.' },
  clientDeep: { regex: `${up}client/`, message: 'Enter src/client through its index.' },
  server: { regex: `${up}server(?:/|$)`, message: 'Imports point inward: this layer must not import the server (the host spawns it as a process).' },
  host: { regex: `${up}host(?:/|$)`, message: 'Imports point inward: only src/extension.ts imports the host.' },
  webview: { regex: `${up}webview(?:/|$)`, message: 'The webview is a separate browser build; share code through src/protocol.' },
  extension: { regex: `${up}extension$`, message: 'Imports point inward: nothing imports src/extension.ts.' },
};
const vscodeBan = { name: 'vscode', message: 'Only src/extension.ts and src/host may import vscode.' };
const nodeIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'ws', 'http', 'node:http'];

function layerRules() {
  const hostBans = [ban.cryptoDeep, ban.clientDeep, ban.server, ban.webview, ban.extension];
  const layer = (files, patterns, paths = []) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } });
  return [
    layer(['src/crypto/**/*.ts'], [ban.protocol, ban.client, ban.server, ban.host, ban.webview, ban.extension], [vscodeBan, ...nodeIo]),
    layer(['src/protocol/**/*.ts'], [ban.cryptoDeep, ban.client, ban.server, ban.host, ban.webview, ban.extension], [vscodeBan]),
    layer(['src/client/**/*.ts'], [ban.cryptoDeep, ban.server, ban.host, ban.webview, ban.extension], [vscodeBan]),
    layer(['src/server/**/*.ts'], [ban.cryptoDeepButHeader, ban.client, ban.host, ban.webview, ban.extension], [vscodeBan]),
    layer(['src/host/**/*.ts'], hostBans),
    // The host's rules are unit-tested in plain Node: no vscode there, only in the thin wrappers beside the folder.
    layer(['src/host/rules/**/*.ts'], hostBans, [{ name: 'vscode', message: 'src/host/rules is free of the vscode API; use it from a wrapper in src/host.' }]),
    layer(['src/extension.ts'], [{ regex: String.raw`^\./(?!host$)`, message: 'src/extension.ts enters the host through its index.' }]),
    layer(['src/webview/**/*.ts'], [ban.cryptoButLimits, ban.nodeProtocol, ban.client, ban.server, ban.host, ban.extension], [vscodeBan]),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly' },
    },
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Build DOM with text APIs; never assign innerHTML.' },
        { selector: "AssignmentExpression[left.property.name='outerHTML']", message: 'Build DOM with text APIs; never assign outerHTML.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Build DOM with text APIs.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use crypto.randomBytes / crypto.getRandomValues.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerRules(),
);
