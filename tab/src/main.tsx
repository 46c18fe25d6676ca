import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { firstFrameSettled } from "./first-frame/show";

// The first frame the boot script asked the server for (boot/boot.ts), with /me and the account:
// React draws over it once it is shown, with the same answers.
void firstFrameSettled(1500).then(() => {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
