import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, languageHeader, mayBeInTeams } from "./App";
import { startEarly } from "./api/early";
import { restoreDevSession } from "./auth/dev";
import { initialLanguage, makeI18n } from "./i18n";

// A session already in this browser tab (reload, deep link): ask for /me and the account now, in
// parallel, instead of after the first render. Inside Teams the token comes later, from the SDK.
if (!mayBeInTeams()) {
  const session = restoreDevSession();
  if (session && /^#?(overview)?$/.test(window.location.hash.split("?")[0])) {
    void session.getToken().then((token) => startEarly(["/api/v1/me", "/api/v1/account"], token, languageHeader(makeI18n(initialLanguage()).locale)));
  }
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
