import { defineConfig } from 'vite';

// The renderer: served by `axi serve` and loaded by Electron from dist/renderer (relative asset paths for file://).
export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: 'public',
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'chrome120', sourcemap: true },
  oxc: { jsx: { runtime: 'automatic' } },
});
