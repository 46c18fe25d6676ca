import { useEffect, useState } from "react";

/**
 * False on the first render, true once that render has been painted: what is drawn only when it
 * is true (and the chunks it loads) waits until the page has shown what matters first. A frame
 * callback runs just before a paint, so the timeout it sets runs after it; a hidden page, where
 * frames do not come, still gets there by the fallback timeout.
 */
export function usePainted(fallbackMs = 250): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let after: number | undefined;
    const frame = requestAnimationFrame(() => {
      after = window.setTimeout(() => setPainted(true), 0);
    });
    const fallback = window.setTimeout(() => setPainted(true), fallbackMs);
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(after);
      window.clearTimeout(fallback);
    };
  }, [fallbackMs]);
  return painted;
}
