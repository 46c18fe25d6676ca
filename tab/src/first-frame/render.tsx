/**
 * The tab's first frame drawn on the server: the same App, given the values the browser's first
 * render would read (first-frame.ts in @cc/common), rendered to markup with the CSS rules it uses
 * (Griffel's server renderer). Built by Vite as a server bundle (vite.config.ts) and called by the
 * API's /tab/first-frame; the browser shows it until React has drawn the same page.
 */
import { RendererProvider, createDOMRenderer, renderToStyleElements } from "@fluentui/react-components";
import type { FirstFrame, FirstFrameInput } from "@cc/common";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { App } from "../App";

export function renderFirstFrame(input: FirstFrameInput): FirstFrame {
  const renderer = createDOMRenderer();
  const html = renderToString(
    <RendererProvider renderer={renderer}>
      <App initial={input} />
    </RendererProvider>,
  );
  return { html, css: renderToStaticMarkup(<>{renderToStyleElements(renderer)}</>) };
}

/** The API runs this bundle in a worker thread (piscina): drawing is its default task. */
export default renderFirstFrame;
