// The owner dashboard (issue 11), served at /dashboard/: a Preact app over
// the typed API client. Built by scripts/build-dashboard.sh into www/dashboard/.
import { render } from "preact";
import { App } from "./app";
import "./app.css";

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
