import { defineConfig } from 'vite';

// The console is served by gateway-service under /console/ from the jar's classpath
// (hub-console/), so the build writes straight into Maven's target/classes.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'target/classes/hub-console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline scripts or styles: everything is a file the CSP allows ('self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a running `./hub run`
    proxy: {
      '/socket.io': { target: 'http://localhost:8080', ws: true },
      '/api': 'http://localhost:8080',
    },
  },
});
