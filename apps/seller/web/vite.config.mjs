import { defineConfig } from 'vite';
import { webAppConfig } from '../../../libs/web/build/vite-web-app.mjs';

// The seller web app (Vue 3 + Vant 4), built into dist/seller-web and served at `/` of the seller app.
export default defineConfig(webAppConfig('seller'));
