// Values the build (scripts/build-dashboard.sh) puts in the bundle with
// esbuild's --define.

/** The inline stub (www/stub.js, trimmed): the exact bytes the contest page
 * offers to copy, the bytes whose hash a site's CSP names. */
declare const STUB_JS: string;
