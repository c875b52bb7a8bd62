/** @type {import('next').NextConfig} */
const nextConfig = {
  // A static site: `next build` writes out/, which any static host or CDN serves.
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // Build-time only (lesson MDX is compiled on the server); never in a client bundle.
  serverExternalPackages: ['mdx-bundler', 'esbuild'],
};

export default nextConfig;
