/**
 * Builds a Tutor-rendered env.config.jsx with esbuild and runs its setConfig() as each named MFE would, printing
 * what each one gets as JSON: {"<APP_ID>": {"pluginSlots": ..., "errors": [...]}}; functions print as "function".
 *
 *   node env_config.mjs <directory holding node_modules/esbuild> <env.config.jsx> <APP_ID>...
 *
 * The frontend-plugin-framework constants are FPF's own values. Every other package the file imports (react,
 * @openedx/paragon, @edx/frontend-platform...) is a stand-in that takes any use while the plugins are defined
 * (calls, property reads, `new`): nothing is rendered here, so no real package is needed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [esbuildHome, envConfig, ...appIds] = process.argv.slice(2);
const esbuild = createRequire(join(resolve(esbuildHome), 'noop.js'))('esbuild');

const FRAMEWORK = `
export const DIRECT_PLUGIN = 'DIRECT_PLUGIN';
export const IFRAME_PLUGIN = 'IFRAME_PLUGIN';
export const PLUGIN_OPERATIONS = { Insert: 'insert', Hide: 'hide', Modify: 'modify', Wrap: 'wrap' };
`;

// Not a thenable, or `await import(...)` of a stand-in would never settle.
globalThis.standIn = new Proxy(function standIn() {}, {
  get: (target, key) => {
    if (key === 'then') return undefined;
    if (key === Symbol.toPrimitive) return () => '';
    return globalThis.standIn;
  },
  apply: () => globalThis.standIn,
  construct: () => globalThis.standIn,
  // esbuild builds a CommonJS module's namespace on its prototype: named imports then read the stand-in too.
  getPrototypeOf: () => globalThis.standIn,
});

const packages = {
  name: 'packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) => ({ path, namespace: 'package' }));
    build.onLoad({ filter: /.*/, namespace: 'package' }, ({ path }) => (
      path === '@openedx/frontend-plugin-framework'
        ? { contents: FRAMEWORK, loader: 'js' }
        : { contents: 'module.exports = globalThis.standIn;', loader: 'js' }
    ));
  },
};

const work = mkdtempSync(join(tmpdir(), 'env-config-'));
try {
  const bundle = join(work, 'env.config.mjs');
  await esbuild.build({
    entryPoints: [envConfig],
    loader: { '.jsx': 'jsx' },
    jsx: 'automatic', // as @openedx/frontend-build compiles it
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'error',
    plugins: [packages],
  });
  const { default: setConfig } = await import(pathToFileURL(bundle));

  const configs = {};
  for (const appId of appIds) {
    const errors = [];
    // env.config.jsx catches what fails in its plugins and reports it with console.error.
    console.error = (...args) => errors.push(args.map(String).join(' '));
    process.env.APP_ID = appId;
    const { pluginSlots } = await setConfig();
    configs[appId] = { pluginSlots, errors };
  }
  writeFileSync(1, JSON.stringify(configs, (key, value) => (typeof value === 'function' ? 'function' : value)));
} finally {
  rmSync(work, { recursive: true, force: true });
}
