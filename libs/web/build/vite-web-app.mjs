import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Reports the JavaScript the first screen loads (the entry chunk, the lazy chunk of the first screen — the
 * login — and their static imports, gzipped) and fails the build over `budgetKb`. Other screens are lazy
 * chunks loaded when opened.
 */
function firstScreenBudget(app, budgetKb, firstScreen) {
  return {
    name: 'chanxiao-first-screen-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry);
      const seen = new Set();
      const visit = (name) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const next of bundle[name]?.imports ?? []) visit(next);
      };
      visit(entry.fileName);
      const first = chunks.find((c) => c.facadeModuleId?.endsWith(firstScreen));
      if (!first) this.error(`${app}-web: no chunk for the first screen ${firstScreen}`);
      visit(first.fileName);
      const bytes = [...seen].reduce((sum, name) => sum + gzipSync(bundle[name].code).length, 0);
      const kb = (bytes / 1024).toFixed(1);
      this.info?.(`first screen JS ${kb} KB gzip (budget ${budgetKb} KB)`);
      console.log(`[${app}-web] first screen JavaScript: ${kb} KB gzip in ${seen.size} file(s) (budget ${budgetKb} KB)`);
      if (bytes > budgetKb * 1024) this.error(`${app}-web: the first screen's JavaScript is ${kb} KB gzip, over the ${budgetKb} KB budget`);
    },
  };
}

/** The Vite config of a Vue + Vant web app under apps/<app>/web, built into dist/<app>-web. */
export function webAppConfig(app, { budgetKb = 250, firstScreen = 'LoginScreen.vue' } = {}) {
  return {
    root: `${repo}/apps/${app}/web`,
    base: '/',
    logLevel: 'warn',
    plugins: [vue(), firstScreenBudget(app, budgetKb, firstScreen)],
    resolve: { alias: { '@chanxiao/web': `${repo}/libs/web/src` } },
    build: {
      outDir: `${repo}/dist/${app}-web`,
      emptyOutDir: true,
      target: 'es2020',
      chunkSizeWarningLimit: 1024,
    },
  };
}
