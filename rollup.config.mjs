// Stand-alone build of the Lightning components: the very sources in force-app/main/default/lwc,
// compiled by LWC's open-source compiler. Platform modules (@salesforce/apex/*, @salesforce/resourceUrl/*,
// lightning/platformResourceLoader, lightning/navigation, gates) are swapped for the small adapters in
// engine/public/shims/, which reach the engine over fetch with the session cookie.
// Run: npx rollup -c rollup.config.mjs   (output: engine/public/build/, gitignored)
import fs from 'node:fs';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import resolve from '@rollup/plugin-node-resolve';

const root = path.dirname(new URL(import.meta.url).pathname);
const shims = path.join(root, 'engine/public/shims');
const outDir = path.join(root, 'engine/public/build');
const lwcDir = path.join(root, 'force-app/main/default/lwc');
const staticResources = path.join(root, 'force-app/main/default/staticresources');
const production = process.env.NODE_ENV !== 'development';

/** Resolves platform-only module ids to the stand-alone adapters (must run before lwc()). */
function platformAdapters() {
  const VIRTUAL = '\0pms-platform:';
  return {
    name: 'pms-platform-adapters',
    resolveId(id) {
      if (id === '@salesforce/apex') return path.join(shims, 'apex.js'); // refreshApex
      if (id.startsWith('@salesforce/apex/')) return VIRTUAL + id;
      if (id.startsWith('@salesforce/resourceUrl/')) return VIRTUAL + id;
      if (id === '@salesforce/gate/bc.260.enableComboboxElementInternals') return VIRTUAL + id;
      if (id === 'lightning/platformResourceLoader') return path.join(shims, 'platform-resource-loader.js');
      if (id === 'lightning/navigation') return path.join(shims, 'navigation.js');
      if (id === 'lightning/empApi') return path.join(shims, 'emp-api.js');
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const name = id.slice(VIRTUAL.length);
      if (name.startsWith('@salesforce/apex/')) {
        // @salesforce/apex/PmsEngineController.getClients → callable and usable with @wire
        const [cls, method] = name.slice('@salesforce/apex/'.length).split('.');
        return `import { apexMethod } from ${JSON.stringify(path.join(shims, 'apex.js'))};\nexport default apexMethod(${JSON.stringify(cls)}, ${JSON.stringify(method)});\n`;
      }
      if (name.startsWith('@salesforce/resourceUrl/')) {
        const resource = name.slice('@salesforce/resourceUrl/'.length);
        return `export default ${JSON.stringify(`/build/static/${resource}.js`)};\n`;
      }
      // lightning-combobox never renders outside Salesforce while this gate is open (TOOLCHAIN.md).
      return 'export default { isOpen: () => false };\n';
    },
  };
}

/** Copies the committed static resources (the files the org gets) next to the bundle, at /static/<name>.js. */
function copyStaticResources() {
  return {
    name: 'pms-static-resources',
    generateBundle() {
      for (const file of fs.readdirSync(staticResources)) {
        if (!file.endsWith('.js')) continue;
        this.emitFile({ type: 'asset', fileName: `static/${file}`, source: fs.readFileSync(path.join(staticResources, file)) });
      }
    },
  };
}

export default {
  input: { main: path.join(root, 'engine/public/src/main.js') },
  output: { dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: false },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
  plugins: [
    platformAdapters(),
    replace({
      preventAssignment: true,
      values: {
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
        'import.meta.env.SSR': 'false',
      },
    }),
    lwc({
      rootDir: path.join(root, 'engine/public/src/modules'),
      enableDynamicComponents: true,
      modules: [
        { dir: path.join(root, 'engine/public/src/modules') },
        // force-app is flat (lwc/<name>/<name>.js, namespace c): one alias per component folder
        ...fs
          .readdirSync(lwcDir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && fs.existsSync(path.join(lwcDir, d.name, `${d.name}.js`)))
          .map((d) => ({ name: `c/${d.name}`, path: path.join(lwcDir, d.name, `${d.name}.js`) })),
        { npm: 'lightning-base-components' },
      ],
    }),
    resolve(),
    copyStaticResources(),
  ],
};
