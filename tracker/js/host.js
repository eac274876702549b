// The page as the wasm sees it (tracker/src/browser.rs imports these): a few
// primitive effects, strings in and strings out. Each catches, so a blocked
// cookie jar or storage (sandboxed frames, privacy modes) reads as empty.
// The build injects it (esbuild --inject) where wasm-bindgen's glue names it.
export var rtHost = {
  // 0 document.cookie, 1 location.search, 2 location.hostname, 3 location.protocol, 4 location.origin, 5 location.pathname
  get: function (what) {
    try {
      return String(what ? location[["", "search", "hostname", "protocol", "origin", "pathname"][what]] : document.cookie);
    } catch (e) {
      return "";
    }
  },
  // The browser's own parsers, so the wasm ships none: a query parameter
  // (URLSearchParams: first value, `+` a space) and a percent-decoded text
  // (decodeURIComponent); undefined where they refuse.
  param: function (query, name) {
    try {
      return new URLSearchParams(query).get(name);
    } catch (e) {}
  },
  decode: function (text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {}
  },
  setCookie: function (cookie) {
    try {
      document.cookie = cookie;
    } catch (e) {}
  },
  // Reads key (value undefined) or writes it; session or local storage.
  storage: function (session, key, value) {
    try {
      var s = session ? sessionStorage : localStorage;
      if (value === undefined) return s.getItem(key);
      s.setItem(key, value);
    } catch (e) {}
  },
};
