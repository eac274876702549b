// The widget's styles, inside its shadow root: the host page's CSS cannot
// reach in and ours cannot leak out. Only the documented custom properties
// cross (they inherit through the shadow boundary): --rocket-accent,
// --rocket-font, --rocket-radius. Colours keep 4.5:1 contrast on white.
export const CSS = `
:host{display:block;max-width:36rem;color:#1f2937;background:#fff;
--a:var(--rocket-accent,#4338ca);--r:var(--rocket-radius,8px);
font:15px/1.45 var(--rocket-font,system-ui,-apple-system,"Segoe UI",sans-serif)}
.w{border:1px solid #d1d5db;border-radius:var(--r);padding:1rem}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
p{margin:.3rem 0}
.q{color:#4b5563;font-size:.9em}
.row{display:flex;gap:.4rem;flex-wrap:wrap;align-items:center}
input{font:inherit;padding:.4rem .5rem;border:1px solid #6b7280;border-radius:var(--r);min-width:0;flex:1 1 12rem}
form.w input{display:block;width:100%;box-sizing:border-box}
button,.b{font:inherit;cursor:pointer;padding:.4rem .8rem;border:1px solid var(--a);border-radius:var(--r);
background:var(--a);color:#fff;text-decoration:none;display:inline-block}
button[disabled]{opacity:.6;cursor:default}
.s{background:#fff;color:var(--a)}
a{color:var(--a)}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
dl{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
dl div{flex:1 1 6rem;border:1px solid #e5e7eb;border-radius:var(--r);padding:.5rem}
dt{font-size:.85em;color:#4b5563}
dd{margin:0;font-size:1.3rem;font-weight:700}
ul,ol{list-style:none;margin:0;padding:0}
li{border-top:1px solid #e5e7eb;padding:.5rem 0}
ol li{display:flex;gap:.5rem}
ol li span:nth-child(2){flex:1;overflow-wrap:anywhere}
.me{font-weight:700}
.e{color:#b91c1c}
.w+.w{margin-top:1rem}
.w>h3:first-child{margin-top:0}
.next{margin:1rem 0}
progress{width:100%;accent-color:var(--a)}
code{font-size:1.1em;font-weight:700;overflow-wrap:anywhere}
.winners li{border:0;padding:.1rem 0}
`;
