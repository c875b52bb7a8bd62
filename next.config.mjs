/** @type {import('next').NextConfig} */
const nextConfig = {
  // A static site: `next build` writes out/, which any static host or CDN serves.
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // NETLAB_ANALYZE=1 npm run build: source maps for scripts/chunks.mjs (which modules make up each chunk).
  productionBrowserSourceMaps: process.env.NETLAB_ANALYZE === '1',
  // Build-time only (lesson MDX is compiled on the server); never in a client bundle.
  serverExternalPackages: ['mdx-bundler', 'esbuild'],
};

export default nextConfig;
