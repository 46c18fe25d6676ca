/**
 * After sign-in, focus moves to the page's heading instead of being lost with the removed button,
 * once that heading is drawn (the page may still be a skeleton, its data on the way). Not when the
 * page opened with /me already in (a reload): nothing was removed. Never taken from a control the
 * person has moved to meanwhile: only focus that was lost.
 */
import { useEffect, type RefObject } from "react";

export function useFocusAfterSignIn(main: RefObject<HTMLElement | null>, me: unknown, openedWithMe: unknown) {
  useEffect(() => {
    const root = main.current;
    if (!me || me === openedWithMe || !root) return;
    const focusHeading = () => {
      if (document.activeElement && document.activeElement !== document.body) return true;
      const heading = root.querySelector<HTMLElement>("h1, h2");
      heading?.focus();
      return heading !== null;
    };
    if (focusHeading()) return;
    const drawn = new MutationObserver(() => {
      if (focusHeading()) drawn.disconnect();
    });
    drawn.observe(root, { childList: true, subtree: true });
    return () => drawn.disconnect();
  }, [main, me, openedWithMe]);
}
