/**
 * The official nginx image (nginxinc/docker-nginx) as it ships: the ENV its Dockerfile sets
 * for each release, and the configuration files nginx.org's packages install (nginx/pkg-oss
 * debian/debian/nginx.conf and nginx.default.conf — the alpine/ copies are the same — and
 * nginx's own conf/mime.types). Read by the shell (a container's environment), the
 * filesystem and the `nginx` command.
 */
import { imageName, imageTag, nginxVersion } from './images';

/**
 * The ENV lines of the image's Dockerfile, by NGINX_VERSION: mainline/debian or stable/debian,
 * and for alpine the alpine-slim Dockerfile's then mainline/alpine's own (NJS_*), each as the
 * last docker-nginx tag that built that version left it (tags 1.21.0 to 1.27.4: 1.27.3 at tag
 * 1.27.3, 1.26.2 at tag 1.27.3's stable/, 1.25.5 at tag 1.26.0…). Before bookworm the builds
 * were bullseye's.
 */
const NGINX_ENV: Record<string, { debian: [string, string][]; alpine: [string, string][] }> = {
  '1.27.4': {
    debian: [['NGINX_VERSION', '1.27.4'], ['NJS_VERSION', '0.8.9'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.27.4'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '1'], ['NJS_VERSION', '0.8.9'], ['NJS_RELEASE', '1']],
  },
  '1.27.3': {
    debian: [['NGINX_VERSION', '1.27.3'], ['NJS_VERSION', '0.8.7'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.27.3'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '1'], ['NJS_VERSION', '0.8.7'], ['NJS_RELEASE', '1']],
  },
  '1.27.2': {
    debian: [['NGINX_VERSION', '1.27.2'], ['NJS_VERSION', '0.8.6'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.27.2'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '1'], ['NJS_VERSION', '0.8.6'], ['NJS_RELEASE', '1']],
  },
  '1.27.0': {
    debian: [['NGINX_VERSION', '1.27.0'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2~bookworm'], ['PKG_RELEASE', '2~bookworm']],
    alpine: [['NGINX_VERSION', '1.27.0'], ['PKG_RELEASE', '2'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2']],
  },
  '1.26.3': {
    debian: [['NGINX_VERSION', '1.26.3'], ['NJS_VERSION', '0.8.9'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '2~bookworm']],
    alpine: [['NGINX_VERSION', '1.26.3'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '2'], ['NJS_VERSION', '0.8.9'], ['NJS_RELEASE', '1']],
  },
  '1.26.2': {
    debian: [['NGINX_VERSION', '1.26.2'], ['NJS_VERSION', '0.8.5'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '2~bookworm']],
    alpine: [['NGINX_VERSION', '1.26.2'], ['PKG_RELEASE', '1'], ['DYNPKG_RELEASE', '2'], ['NJS_VERSION', '0.8.5'], ['NJS_RELEASE', '1']],
  },
  '1.26.1': {
    debian: [['NGINX_VERSION', '1.26.1'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2~bookworm'], ['PKG_RELEASE', '2~bookworm']],
    alpine: [['NGINX_VERSION', '1.26.1'], ['PKG_RELEASE', '2'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2']],
  },
  '1.26.0': {
    debian: [['NGINX_VERSION', '1.26.0'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2~bookworm'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.26.0'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '2']],
  },
  '1.25.5': {
    debian: [['NGINX_VERSION', '1.25.5'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '3~bookworm'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.5'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.4'], ['NJS_RELEASE', '3']],
  },
  '1.25.4': {
    debian: [['NGINX_VERSION', '1.25.4'], ['NJS_VERSION', '0.8.3'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.4'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.3']],
  },
  '1.25.3': {
    debian: [['NGINX_VERSION', '1.25.3'], ['NJS_VERSION', '0.8.2'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.3'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.2']],
  },
  '1.25.2': {
    debian: [['NGINX_VERSION', '1.25.2'], ['NJS_VERSION', '0.8.0'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.2'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.0']],
  },
  '1.25.1': {
    debian: [['NGINX_VERSION', '1.25.1'], ['NJS_VERSION', '0.7.12'], ['PKG_RELEASE', '1~bookworm']],
    alpine: [['NGINX_VERSION', '1.25.1'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.12']],
  },
  '1.25.0': {
    debian: [['NGINX_VERSION', '1.25.0'], ['NJS_VERSION', '0.7.12'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.25.0'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.12']],
  },
  '1.24.0': {
    debian: [['NGINX_VERSION', '1.24.0'], ['NJS_VERSION', '0.8.0'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.24.0'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.8.0']],
  },
  '1.23.4': {
    debian: [['NGINX_VERSION', '1.23.4'], ['NJS_VERSION', '0.7.11'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.4'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.11']],
  },
  '1.23.3': {
    debian: [['NGINX_VERSION', '1.23.3'], ['NJS_VERSION', '0.7.9'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.3'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.9']],
  },
  '1.23.2': {
    debian: [['NGINX_VERSION', '1.23.2'], ['NJS_VERSION', '0.7.7'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.2'], ['NJS_VERSION', '0.7.7'], ['PKG_RELEASE', '1']],
  },
  '1.23.1': {
    debian: [['NGINX_VERSION', '1.23.1'], ['NJS_VERSION', '0.7.6'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.1'], ['NJS_VERSION', '0.7.6'], ['PKG_RELEASE', '1']],
  },
  '1.23.0': {
    debian: [['NGINX_VERSION', '1.23.0'], ['NJS_VERSION', '0.7.5'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.23.0'], ['NJS_VERSION', '0.7.5'], ['PKG_RELEASE', '1']],
  },
  '1.22.1': {
    debian: [['NGINX_VERSION', '1.22.1'], ['NJS_VERSION', '0.7.9'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.22.1'], ['PKG_RELEASE', '1'], ['NJS_VERSION', '0.7.9']],
  },
  '1.22.0': {
    debian: [['NGINX_VERSION', '1.22.0'], ['NJS_VERSION', '0.7.6'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.22.0'], ['NJS_VERSION', '0.7.6'], ['PKG_RELEASE', '1']],
  },
  '1.21.6': {
    debian: [['NGINX_VERSION', '1.21.6'], ['NJS_VERSION', '0.7.3'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.21.6'], ['NJS_VERSION', '0.7.3'], ['PKG_RELEASE', '1']],
  },
  '1.21.5': {
    debian: [['NGINX_VERSION', '1.21.5'], ['NJS_VERSION', '0.7.1'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.21.5'], ['NJS_VERSION', '0.7.1'], ['PKG_RELEASE', '1']],
  },
  '1.21.4': {
    debian: [['NGINX_VERSION', '1.21.4'], ['NJS_VERSION', '0.7.0'], ['PKG_RELEASE', '1~bullseye']],
    alpine: [['NGINX_VERSION', '1.21.4'], ['NJS_VERSION', '0.7.0'], ['PKG_RELEASE', '1']],
  },
  '1.21.3': {
    debian: [['NGINX_VERSION', '1.21.3'], ['NJS_VERSION', '0.6.2'], ['PKG_RELEASE', '1~buster']],
    alpine: [['NGINX_VERSION', '1.21.3'], ['NJS_VERSION', '0.6.2'], ['PKG_RELEASE', '1']],
  },
  '1.21.1': {
    debian: [['NGINX_VERSION', '1.21.1'], ['NJS_VERSION', '0.6.1'], ['PKG_RELEASE', '1~buster']],
    alpine: [['NGINX_VERSION', '1.21.1'], ['NJS_VERSION', '0.6.1'], ['PKG_RELEASE', '1']],
  },
  '1.21.0': {
    debian: [['NGINX_VERSION', '1.21.0'], ['NJS_VERSION', '0.5.3'], ['PKG_RELEASE', '1~buster']],
    alpine: [['NGINX_VERSION', '1.21.0'], ['NJS_VERSION', '0.5.3'], ['PKG_RELEASE', '1']],
  },
};

/**
 * `nginx -V` of the nginx:1.27.3 (bookworm) image beyond its first line: the compiler and
 * OpenSSL it was built with and runs with, and the configure arguments — pkg-oss 1.27.3-1
 * debian/Makefile BASE_CONFIGURE_ARGS, then Debian's dpkg-buildflags as --with-cc-opt and
 * --with-ld-opt (as the image prints them).
 */
export const NGINX_BUILD_INFO: Readonly<Record<string, string>> = {
  '1.27.3':
    'built by gcc 12.2.0 (Debian 12.2.0-14) \nbuilt with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)\nTLS SNI support enabled\n' +
    "configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --http-client-body-temp-path=/var/cache/nginx/client_temp --http-proxy-temp-path=/var/cache/nginx/proxy_temp --http-fastcgi-temp-path=/var/cache/nginx/fastcgi_temp --http-uwsgi-temp-path=/var/cache/nginx/uwsgi_temp --http-scgi-temp-path=/var/cache/nginx/scgi_temp --user=nginx --group=nginx --with-compat --with-file-aio --with-threads --with-http_addition_module --with-http_auth_request_module --with-http_dav_module --with-http_flv_module --with-http_gunzip_module --with-http_gzip_static_module --with-http_mp4_module --with-http_random_index_module --with-http_realip_module --with-http_secure_link_module --with-http_slice_module --with-http_ssl_module --with-http_stub_status_module --with-http_sub_module --with-http_v2_module --with-http_v3_module --with-mail --with-mail_ssl_module --with-stream --with-stream_realip_module --with-stream_ssl_module --with-stream_ssl_preread_module --with-cc-opt='-g -O2 -ffile-prefix-map=/data/builder/debuild/nginx-1.27.3/debian/debuild-base/nginx-1.27.3=. -fstack-protector-strong -Wformat -Werror=format-security -Wp,-D_FORTIFY_SOURCE=2 -fPIC' --with-ld-opt='-Wl,-z,relro -Wl,-z,now -Wl,--as-needed -pie'\n",
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

/**
 * The image's other files, verbatim: nginx release-1.27.3 conf/fastcgi_params, scgi_params,
 * uwsgi_params (installed in /etc/nginx by pkg-oss debian/debian/nginx.install) and
 * docs/html/50x.html; docker-nginx tag 1.27.3 mainline/debian's /docker-entrypoint.sh and
 * the /docker-entrypoint.d scripts it runs. (/usr/share/nginx/html/index.html is the page the
 * simulated nginx serves, dataplane/apps.ts NGINX_INDEX_HTML.)
 */
export const NGINX_IMAGE_FILES: Readonly<Record<string, string>> = {
  "/etc/nginx/fastcgi_params":
    "\nfastcgi_param  QUERY_STRING       $query_string;\nfastcgi_param  REQUEST_METHOD     $request_method;\nfastcgi_param  CONTENT_TYPE       $content_type;\nfastcgi_param  CONTENT_LENGTH     $content_length;\n\nfastcgi_param  SCRIPT_NAME        $fastcgi_script_name;\nfastcgi_param  REQUEST_URI        $request_uri;\nfastcgi_param  DOCUMENT_URI       $document_uri;\nfastcgi_param  DOCUMENT_ROOT      $document_root;\nfastcgi_param  SERVER_PROTOCOL    $server_protocol;\nfastcgi_param  REQUEST_SCHEME     $scheme;\nfastcgi_param  HTTPS              $https if_not_empty;\n\nfastcgi_param  GATEWAY_INTERFACE  CGI/1.1;\nfastcgi_param  SERVER_SOFTWARE    nginx/$nginx_version;\n\nfastcgi_param  REMOTE_ADDR        $remote_addr;\nfastcgi_param  REMOTE_PORT        $remote_port;\nfastcgi_param  SERVER_ADDR        $server_addr;\nfastcgi_param  SERVER_PORT        $server_port;\nfastcgi_param  SERVER_NAME        $server_name;\n\n# PHP only, required if PHP was built with --enable-force-cgi-redirect\nfastcgi_param  REDIRECT_STATUS    200;\n",
  "/etc/nginx/scgi_params":
    "\nscgi_param  REQUEST_METHOD     $request_method;\nscgi_param  REQUEST_URI        $request_uri;\nscgi_param  QUERY_STRING       $query_string;\nscgi_param  CONTENT_TYPE       $content_type;\n\nscgi_param  DOCUMENT_URI       $document_uri;\nscgi_param  DOCUMENT_ROOT      $document_root;\nscgi_param  SCGI               1;\nscgi_param  SERVER_PROTOCOL    $server_protocol;\nscgi_param  REQUEST_SCHEME     $scheme;\nscgi_param  HTTPS              $https if_not_empty;\n\nscgi_param  REMOTE_ADDR        $remote_addr;\nscgi_param  REMOTE_PORT        $remote_port;\nscgi_param  SERVER_PORT        $server_port;\nscgi_param  SERVER_NAME        $server_name;\n",
  "/etc/nginx/uwsgi_params":
    "\nuwsgi_param  QUERY_STRING       $query_string;\nuwsgi_param  REQUEST_METHOD     $request_method;\nuwsgi_param  CONTENT_TYPE       $content_type;\nuwsgi_param  CONTENT_LENGTH     $content_length;\n\nuwsgi_param  REQUEST_URI        $request_uri;\nuwsgi_param  PATH_INFO          $document_uri;\nuwsgi_param  DOCUMENT_ROOT      $document_root;\nuwsgi_param  SERVER_PROTOCOL    $server_protocol;\nuwsgi_param  REQUEST_SCHEME     $scheme;\nuwsgi_param  HTTPS              $https if_not_empty;\n\nuwsgi_param  REMOTE_ADDR        $remote_addr;\nuwsgi_param  REMOTE_PORT        $remote_port;\nuwsgi_param  SERVER_PORT        $server_port;\nuwsgi_param  SERVER_NAME        $server_name;\n",
  "/usr/share/nginx/html/50x.html":
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n",
  "/docker-entrypoint.sh":
    "#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n\nentrypoint_log() {\n    if [ -z \"${NGINX_ENTRYPOINT_QUIET_LOGS:-}\" ]; then\n        echo \"$@\"\n    fi\n}\n\nif [ \"$1\" = \"nginx\" ] || [ \"$1\" = \"nginx-debug\" ]; then\n    if /usr/bin/find \"/docker-entrypoint.d/\" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then\n        entrypoint_log \"$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\"\n\n        entrypoint_log \"$0: Looking for shell scripts in /docker-entrypoint.d/\"\n        find \"/docker-entrypoint.d/\" -follow -type f -print | sort -V | while read -r f; do\n            case \"$f\" in\n                *.envsh)\n                    if [ -x \"$f\" ]; then\n                        entrypoint_log \"$0: Sourcing $f\";\n                        . \"$f\"\n                    else\n                        # warn on shell scripts without exec bit\n                        entrypoint_log \"$0: Ignoring $f, not executable\";\n                    fi\n                    ;;\n                *.sh)\n                    if [ -x \"$f\" ]; then\n                        entrypoint_log \"$0: Launching $f\";\n                        \"$f\"\n                    else\n                        # warn on shell scripts without exec bit\n                        entrypoint_log \"$0: Ignoring $f, not executable\";\n                    fi\n                    ;;\n                *) entrypoint_log \"$0: Ignoring $f\";;\n            esac\n        done\n\n        entrypoint_log \"$0: Configuration complete; ready for start up\"\n    else\n        entrypoint_log \"$0: No files found in /docker-entrypoint.d/, skipping configuration\"\n    fi\nfi\n\nexec \"$@\"\n",
  "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh":
    "#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n\nentrypoint_log() {\n    if [ -z \"${NGINX_ENTRYPOINT_QUIET_LOGS:-}\" ]; then\n        echo \"$@\"\n    fi\n}\n\nME=$(basename \"$0\")\nDEFAULT_CONF_FILE=\"etc/nginx/conf.d/default.conf\"\n\n# check if we have ipv6 available\nif [ ! -f \"/proc/net/if_inet6\" ]; then\n    entrypoint_log \"$ME: info: ipv6 not available\"\n    exit 0\nfi\n\nif [ ! -f \"/$DEFAULT_CONF_FILE\" ]; then\n    entrypoint_log \"$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist\"\n    exit 0\nfi\n\n# check if the file can be modified, e.g. not on a r/o filesystem\ntouch /$DEFAULT_CONF_FILE 2>/dev/null || { entrypoint_log \"$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)\"; exit 0; }\n\n# check if the file is already modified, e.g. on a container restart\ngrep -q \"listen  \\[::]\\:80;\" /$DEFAULT_CONF_FILE && { entrypoint_log \"$ME: info: IPv6 listen already enabled\"; exit 0; }\n\nif [ -f \"/etc/os-release\" ]; then\n    . /etc/os-release\nelse\n    entrypoint_log \"$ME: info: can not guess the operating system\"\n    exit 0\nfi\n\nentrypoint_log \"$ME: info: Getting the checksum of /$DEFAULT_CONF_FILE\"\n\ncase \"$ID\" in\n    \"debian\")\n        CHECKSUM=$(dpkg-query --show --showformat='${Conffiles}\\n' nginx | grep $DEFAULT_CONF_FILE | cut -d' ' -f 3)\n        echo \"$CHECKSUM  /$DEFAULT_CONF_FILE\" | md5sum -c - >/dev/null 2>&1 || {\n            entrypoint_log \"$ME: info: /$DEFAULT_CONF_FILE differs from the packaged version\"\n            exit 0\n        }\n        ;;\n    \"alpine\")\n        CHECKSUM=$(apk manifest nginx 2>/dev/null| grep $DEFAULT_CONF_FILE | cut -d' ' -f 1 | cut -d ':' -f 2)\n        echo \"$CHECKSUM  /$DEFAULT_CONF_FILE\" | sha1sum -c - >/dev/null 2>&1 || {\n            entrypoint_log \"$ME: info: /$DEFAULT_CONF_FILE differs from the packaged version\"\n            exit 0\n        }\n        ;;\n    *)\n        entrypoint_log \"$ME: info: Unsupported distribution\"\n        exit 0\n        ;;\nesac\n\n# enable ipv6 on default.conf listen sockets\nsed -i -E 's,listen       80;,listen       80;\\n    listen  [::]:80;,' /$DEFAULT_CONF_FILE\n\nentrypoint_log \"$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE\"\n\nexit 0\n",
  "/docker-entrypoint.d/15-local-resolvers.envsh":
    "#!/bin/sh\n# vim:sw=2:ts=2:sts=2:et\n\nset -eu\n\nLC_ALL=C\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n\n[ \"${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}\" ] || return 0\n\nNGINX_LOCAL_RESOLVERS=$(awk 'BEGIN{ORS=\" \"} $1==\"nameserver\" {if ($2 ~ \":\") {print \"[\"$2\"]\"} else {print $2}}' /etc/resolv.conf)\n\nNGINX_LOCAL_RESOLVERS=\"${NGINX_LOCAL_RESOLVERS% }\"\n\nexport NGINX_LOCAL_RESOLVERS\n",
  "/docker-entrypoint.d/20-envsubst-on-templates.sh":
    "#!/bin/sh\n\nset -e\n\nME=$(basename \"$0\")\n\nentrypoint_log() {\n    if [ -z \"${NGINX_ENTRYPOINT_QUIET_LOGS:-}\" ]; then\n        echo \"$@\"\n    fi\n}\n\nadd_stream_block() {\n  local conffile=\"/etc/nginx/nginx.conf\"\n\n  if grep -q -E \"\\s*stream\\s*\\{\" \"$conffile\"; then\n    entrypoint_log \"$ME: $conffile contains a stream block; include $stream_output_dir/*.conf to enable stream templates\"\n  else\n    # check if the file can be modified, e.g. not on a r/o filesystem\n    touch \"$conffile\" 2>/dev/null || { entrypoint_log \"$ME: info: can not modify $conffile (read-only file system?)\"; exit 0; }\n    entrypoint_log \"$ME: Appending stream block to $conffile to include $stream_output_dir/*.conf\"\n    cat << END >> \"$conffile\"\n# added by \"$ME\" on \"$(date)\"\nstream {\n  include $stream_output_dir/*.conf;\n}\nEND\n  fi\n}\n\nauto_envsubst() {\n  local template_dir=\"${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}\"\n  local suffix=\"${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}\"\n  local output_dir=\"${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}\"\n  local stream_suffix=\"${NGINX_ENVSUBST_STREAM_TEMPLATE_SUFFIX:-.stream-template}\"\n  local stream_output_dir=\"${NGINX_ENVSUBST_STREAM_OUTPUT_DIR:-/etc/nginx/stream-conf.d}\"\n  local filter=\"${NGINX_ENVSUBST_FILTER:-}\"\n\n  local template defined_envs relative_path output_path subdir\n  defined_envs=$(printf '${%s} ' $(awk \"END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \\\"\\\" } }\" < /dev/null ))\n  [ -d \"$template_dir\" ] || return 0\n  if [ ! -w \"$output_dir\" ]; then\n    entrypoint_log \"$ME: ERROR: $template_dir exists, but $output_dir is not writable\"\n    return 0\n  fi\n  find \"$template_dir\" -follow -type f -name \"*$suffix\" -print | while read -r template; do\n    relative_path=\"${template#\"$template_dir/\"}\"\n    output_path=\"$output_dir/${relative_path%\"$suffix\"}\"\n    subdir=$(dirname \"$relative_path\")\n    # create a subdirectory where the template file exists\n    mkdir -p \"$output_dir/$subdir\"\n    entrypoint_log \"$ME: Running envsubst on $template to $output_path\"\n    envsubst \"$defined_envs\" < \"$template\" > \"$output_path\"\n  done\n\n  # Print the first file with the stream suffix, this will be false if there are none\n  if test -n \"$(find \"$template_dir\" -name \"*$stream_suffix\" -print -quit)\"; then\n    mkdir -p \"$stream_output_dir\"\n    if [ ! -w \"$stream_output_dir\" ]; then\n      entrypoint_log \"$ME: ERROR: $template_dir exists, but $stream_output_dir is not writable\"\n      return 0\n    fi\n    add_stream_block\n    find \"$template_dir\" -follow -type f -name \"*$stream_suffix\" -print | while read -r template; do\n      relative_path=\"${template#\"$template_dir/\"}\"\n      output_path=\"$stream_output_dir/${relative_path%\"$stream_suffix\"}\"\n      subdir=$(dirname \"$relative_path\")\n      # create a subdirectory where the template file exists\n      mkdir -p \"$stream_output_dir/$subdir\"\n      entrypoint_log \"$ME: Running envsubst on $template to $output_path\"\n      envsubst \"$defined_envs\" < \"$template\" > \"$output_path\"\n    done\n  fi\n}\n\nauto_envsubst\n\nexit 0\n",
  "/docker-entrypoint.d/30-tune-worker-processes.sh":
    "#!/bin/sh\n# vim:sw=2:ts=2:sts=2:et\n\nset -eu\n\nLC_ALL=C\nME=$(basename \"$0\")\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n\n[ \"${NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE:-}\" ] || exit 0\n\ntouch /etc/nginx/nginx.conf 2>/dev/null || { echo >&2 \"$ME: error: can not modify /etc/nginx/nginx.conf (read-only file system?)\"; exit 0; }\n\nceildiv() {\n  num=$1\n  div=$2\n  echo $(( (num + div - 1) / div ))\n}\n\nget_cpuset() {\n  cpusetroot=$1\n  cpusetfile=$2\n  ncpu=0\n  [ -f \"$cpusetroot/$cpusetfile\" ] || return 1\n  for token in $( tr ',' ' ' < \"$cpusetroot/$cpusetfile\" ); do\n    case \"$token\" in\n      *-*)\n        count=$( seq $(echo \"$token\" | tr '-' ' ') | wc -l )\n        ncpu=$(( ncpu+count ))\n        ;;\n      *)\n        ncpu=$(( ncpu+1 ))\n        ;;\n    esac\n  done\n  echo \"$ncpu\"\n}\n\nget_quota() {\n  cpuroot=$1\n  ncpu=0\n  [ -f \"$cpuroot/cpu.cfs_quota_us\" ] || return 1\n  [ -f \"$cpuroot/cpu.cfs_period_us\" ] || return 1\n  cfs_quota=$( cat \"$cpuroot/cpu.cfs_quota_us\" )\n  cfs_period=$( cat \"$cpuroot/cpu.cfs_period_us\" )\n  [ \"$cfs_quota\" = \"-1\" ] && return 1\n  [ \"$cfs_period\" = \"0\" ] && return 1\n  ncpu=$( ceildiv \"$cfs_quota\" \"$cfs_period\" )\n  [ \"$ncpu\" -gt 0 ] || return 1\n  echo \"$ncpu\"\n}\n\nget_quota_v2() {\n  cpuroot=$1\n  ncpu=0\n  [ -f \"$cpuroot/cpu.max\" ] || return 1\n  cfs_quota=$( cut -d' ' -f 1 < \"$cpuroot/cpu.max\" )\n  cfs_period=$( cut -d' ' -f 2 < \"$cpuroot/cpu.max\" )\n  [ \"$cfs_quota\" = \"max\" ] && return 1\n  [ \"$cfs_period\" = \"0\" ] && return 1\n  ncpu=$( ceildiv \"$cfs_quota\" \"$cfs_period\" )\n  [ \"$ncpu\" -gt 0 ] || return 1\n  echo \"$ncpu\"\n}\n\nget_cgroup_v1_path() {\n  needle=$1\n  found=\n  foundroot=\n  mountpoint=\n\n  [ -r \"/proc/self/mountinfo\" ] || return 1\n  [ -r \"/proc/self/cgroup\" ] || return 1\n\n  while IFS= read -r line; do\n    case \"$needle\" in\n      \"cpuset\")\n        case \"$line\" in\n          *cpuset*)\n            found=$( echo \"$line\" | cut -d ' ' -f 4,5 )\n            break\n            ;;\n        esac\n        ;;\n      \"cpu\")\n        case \"$line\" in\n          *cpuset*)\n            ;;\n          *cpu,cpuacct*|*cpuacct,cpu|*cpuacct*|*cpu*)\n            found=$( echo \"$line\" | cut -d ' ' -f 4,5 )\n            break\n            ;;\n        esac\n    esac\n  done << __EOF__\n$( grep -F -- '- cgroup ' /proc/self/mountinfo )\n__EOF__\n\n  while IFS= read -r line; do\n    controller=$( echo \"$line\" | cut -d: -f 2 )\n    case \"$needle\" in\n      \"cpuset\")\n        case \"$controller\" in\n          cpuset)\n            mountpoint=$( echo \"$line\" | cut -d: -f 3 )\n            break\n            ;;\n        esac\n        ;;\n      \"cpu\")\n        case \"$controller\" in\n          cpu,cpuacct|cpuacct,cpu|cpuacct|cpu)\n            mountpoint=$( echo \"$line\" | cut -d: -f 3 )\n            break\n            ;;\n        esac\n        ;;\n    esac\ndone << __EOF__\n$( grep -F -- 'cpu' /proc/self/cgroup )\n__EOF__\n\n  case \"${found%% *}\" in\n    \"/\")\n      foundroot=\"${found##* }$mountpoint\"\n      ;;\n    \"$mountpoint\")\n      foundroot=\"${found##* }\"\n      ;;\n  esac\n  echo \"$foundroot\"\n}\n\nget_cgroup_v2_path() {\n  found=\n  foundroot=\n  mountpoint=\n\n  [ -r \"/proc/self/mountinfo\" ] || return 1\n  [ -r \"/proc/self/cgroup\" ] || return 1\n\n  while IFS= read -r line; do\n    found=$( echo \"$line\" | cut -d ' ' -f 4,5 )\n  done << __EOF__\n$( grep -F -- '- cgroup2 ' /proc/self/mountinfo )\n__EOF__\n\n  while IFS= read -r line; do\n    mountpoint=$( echo \"$line\" | cut -d: -f 3 )\ndone << __EOF__\n$( grep -F -- '0::' /proc/self/cgroup )\n__EOF__\n\n  case \"${found%% *}\" in\n    \"\")\n      return 1\n      ;;\n    \"/\")\n      foundroot=\"${found##* }$mountpoint\"\n      ;;\n    \"$mountpoint\" | /../*)\n      foundroot=\"${found##* }\"\n      ;;\n  esac\n  echo \"$foundroot\"\n}\n\nncpu_online=$( getconf _NPROCESSORS_ONLN )\nncpu_cpuset=\nncpu_quota=\nncpu_cpuset_v2=\nncpu_quota_v2=\n\ncpuset=$( get_cgroup_v1_path \"cpuset\" ) && ncpu_cpuset=$( get_cpuset \"$cpuset\" \"cpuset.effective_cpus\" ) || ncpu_cpuset=$ncpu_online\ncpu=$( get_cgroup_v1_path \"cpu\" ) && ncpu_quota=$( get_quota \"$cpu\" ) || ncpu_quota=$ncpu_online\ncgroup_v2=$( get_cgroup_v2_path ) && ncpu_cpuset_v2=$( get_cpuset \"$cgroup_v2\" \"cpuset.cpus.effective\" ) || ncpu_cpuset_v2=$ncpu_online\ncgroup_v2=$( get_cgroup_v2_path ) && ncpu_quota_v2=$( get_quota_v2 \"$cgroup_v2\" ) || ncpu_quota_v2=$ncpu_online\n\nncpu=$( printf \"%s\\n%s\\n%s\\n%s\\n%s\\n\" \\\n               \"$ncpu_online\" \\\n               \"$ncpu_cpuset\" \\\n               \"$ncpu_quota\" \\\n               \"$ncpu_cpuset_v2\" \\\n               \"$ncpu_quota_v2\" \\\n               | sort -n \\\n               | head -n 1 )\n\nsed -i.bak -r 's/^(worker_processes)(.*)$/# Commented out by '\"$ME\"' on '\"$(date)\"'\\n#\\1\\2\\n\\1 '\"$ncpu\"';/' /etc/nginx/nginx.conf\n",
};
