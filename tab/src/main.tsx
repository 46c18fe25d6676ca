import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { firstFrameSettled } from "./first-frame/show";

// The first frame the boot script asked the server for (boot/boot.ts), with /me and the account:
// React draws over it once it is shown, with the same answers. It is usually in long before the
// bundle; a slow one (the server's first drawing since it started) is waited for 500 ms at most.
void firstFrameSettled(500).then(() => {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
