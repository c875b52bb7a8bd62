/**
 * The official nginx image (nginxinc/docker-nginx) as it ships: the ENV its Dockerfile sets
 * for each release, and the configuration files nginx.org's packages install (nginx/pkg-oss
 * debian/debian/nginx.conf and nginx.default.conf — the alpine/ copies are the same — and
 * nginx's own conf/mime.types). Read by the shell (a container's environment), the
 * filesystem and the `nginx` command.
 */
import { imageName, imageTag, nginxVersion } from './images';

/**
 * The ENV lines of the image's Dockerfile, by NGINX_VERSION: mainline/debian and stable/debian
 * (alpine: the alpine-slim Dockerfile's, then mainline/alpine's NJS_*), each as the last
 * docker-nginx tag that built that version left it (1.27.3: tag 1.27.3; 1.26.2: tag 1.27.3's
 * stable/; 1.25.5: tag 1.26.0; 1.24.0: tag 1.25.5; 1.23.4: tag 1.24.0; 1.22.1: tag 1.23.4;
 * 1.21.6: tag 1.21.6). Versions before bookworm were bullseye builds.
 */
const NGINX_ENV: Record<string, { debian: [string, string][]; alpine: [string, string][] }> = {
  '1.27.3': {
    debian: [['NGINX_VERSION', '1.27.3'], ['NJS_VERSION', '0.8.7'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.27.3'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '1'], ['NJS_VERSION', '0.8.7'], ['NJS_RELEASE', '1']],
  },
  '1.26.2': {
    debian: [['NGINX_VERSION', '1.26.2'], ['NJS_VERSION', '0.8.5'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '2~bookworm']],
    alpine: [['NGINX_VERSION', '1.26.2'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '2'], ['NJS_VERSION', '0.8.5'], ['NJS_RELEASE', '1']],
  },
  '1.25.5': {
    debian: [['NGINX_VERSION', '1.25.5'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '3~bookworm'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.5'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '3']],
  },
  '1.24.0': {
    debian: [['NGINX_VERSION', '1.24.0'], ['NJS_VERSION', '0.8.0'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.24.0'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.0']],
  },
  '1.23.4': {
    debian: [['NGINX_VERSION', '1.23.4'], ['NJS_VERSION', '0.7.11'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.4'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.11']],
  },
  '1.22.1': {
    debian: [['NGINX_VERSION', '1.22.1'], ['NJS_VERSION', '0.7.9'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.22.1'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.7']],
  },
  '1.21.6': {
    debian: [['NGINX_VERSION', '1.21.6'], ['NJS_VERSION', '0.7.3'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.21.6'], ['NJS_VERSION', '0.7.3'], ['PKG_RELEASE', '1']],
  },
};

/** Is this the official nginx image (not nginx-unprivileged, not the ingress controller)? */
export function isNginxImage(image: string | undefined): boolean {
  return imageName(image ?? '') === 'nginx';
}

/** The environment the image's Dockerfile sets, in its order (an unknown release: only NGINX_VERSION). */
export function nginxImageEnv(image: string): [string, string][] {
  const v = nginxVersion(image).version;
  const alpine = imageTag(image).includes('alpine');
  const row = NGINX_ENV[v];
  if (!row) return [['NGINX_VERSION', v]];
  const env = alpine ? row.alpine : row.debian;
  // alpine-slim stops before njs
  return alpine && imageTag(image).includes('slim') ? env.filter(([k]) => !k.startsWith('NJS_')) : env;
}

/** pkg-oss debian/debian/nginx.conf (1.27.3-1; the same since 1.25). */
export const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

/**
 * pkg-oss debian/debian/nginx.default.conf, as /etc/nginx/conf.d/default.conf reads once the
 * entrypoint's 10-listen-on-ipv6-by-default.sh ran (`sed -i -E 's,listen       80;,listen
 * 80;\n    listen  [::]:80;,'`) — `ipv6` false for a container whose command replaced the entrypoint.
 */
export function nginxDefaultConf(ipv6: boolean): string {
  const conf = `server {
    listen       80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}

`;
  return ipv6 ? conf.replace('listen       80;', 'listen       80;\n    listen  [::]:80;') : conf;
}

/** nginx release-1.27.3 conf/mime.types, installed as /etc/nginx/mime.types. */
export const NGINX_MIME_TYPES = `
types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/xml                                         xml;
    image/gif                                        gif;
    image/jpeg                                       jpeg jpg;
    application/javascript                           js;
    application/atom+xml                             atom;
    application/rss+xml                              rss;

    text/mathml                                      mml;
    text/plain                                       txt;
    text/vnd.sun.j2me.app-descriptor                 jad;
    text/vnd.wap.wml                                 wml;
    text/x-component                                 htc;

    image/avif                                       avif;
    image/png                                        png;
    image/svg+xml                                    svg svgz;
    image/tiff                                       tif tiff;
    image/vnd.wap.wbmp                               wbmp;
    image/webp                                       webp;
    image/x-icon                                     ico;
    image/x-jng                                      jng;
    image/x-ms-bmp                                   bmp;

    font/woff                                        woff;
    font/woff2                                       woff2;

    application/java-archive                         jar war ear;
    application/json                                 json;
    application/mac-binhex40                         hqx;
    application/msword                               doc;
    application/pdf                                  pdf;
    application/postscript                           ps eps ai;
    application/rtf                                  rtf;
    application/vnd.apple.mpegurl                    m3u8;
    application/vnd.google-earth.kml+xml             kml;
    application/vnd.google-earth.kmz                 kmz;
    application/vnd.ms-excel                         xls;
    application/vnd.ms-fontobject                    eot;
    application/vnd.ms-powerpoint                    ppt;
    application/vnd.oasis.opendocument.graphics      odg;
    application/vnd.oasis.opendocument.presentation  odp;
    application/vnd.oasis.opendocument.spreadsheet   ods;
    application/vnd.oasis.opendocument.text          odt;
    application/vnd.openxmlformats-officedocument.presentationml.presentation
                                                     pptx;
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
                                                     xlsx;
    application/vnd.openxmlformats-officedocument.wordprocessingml.document
                                                     docx;
    application/vnd.wap.wmlc                         wmlc;
    application/wasm                                 wasm;
    application/x-7z-compressed                      7z;
    application/x-cocoa                              cco;
    application/x-java-archive-diff                  jardiff;
    application/x-java-jnlp-file                     jnlp;
    application/x-makeself                           run;
    application/x-perl                               pl pm;
    application/x-pilot                              prc pdb;
    application/x-rar-compressed                     rar;
    application/x-redhat-package-manager             rpm;
    application/x-sea                                sea;
    application/x-shockwave-flash                    swf;
    application/x-stuffit                            sit;
    application/x-tcl                                tcl tk;
    application/x-x509-ca-cert                       der pem crt;
    application/x-xpinstall                          xpi;
    application/xhtml+xml                            xhtml;
    application/xspf+xml                             xspf;
    application/zip                                  zip;

    application/octet-stream                         bin exe dll;
    application/octet-stream                         deb;
    application/octet-stream                         dmg;
    application/octet-stream                         iso img;
    application/octet-stream                         msi msp msm;

    audio/midi                                       mid midi kar;
    audio/mpeg                                       mp3;
    audio/ogg                                        ogg;
    audio/x-m4a                                      m4a;
    audio/x-realaudio                                ra;

    video/3gpp                                       3gpp 3gp;
    video/mp2t                                       ts;
    video/mp4                                        mp4;
    video/mpeg                                       mpeg mpg;
    video/quicktime                                  mov;
    video/webm                                       webm;
    video/x-flv                                      flv;
    video/x-m4v                                      m4v;
    video/x-mng                                      mng;
    video/x-ms-asf                                   asx asf;
    video/x-ms-wmv                                   wmv;
    video/x-msvideo                                  avi;
}
`;
