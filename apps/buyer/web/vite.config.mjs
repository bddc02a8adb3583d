import { defineConfig } from 'vite';
import { webAppConfig } from '../../../libs/web/build/vite-web-app.mjs';

// The buyer web app (Vue 3 + Vant 4), built into dist/buyer-web and served at `/` of the buyer app.
export default defineConfig(webAppConfig('buyer'));
