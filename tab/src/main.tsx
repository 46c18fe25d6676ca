import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

// /me and the account were asked for by boot/boot.ts, index.html's first script.
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
