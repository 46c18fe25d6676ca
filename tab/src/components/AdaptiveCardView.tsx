import { Caption1 } from "@fluentui/react-components";
import { AdaptiveCard } from "adaptivecards";
import { useEffect, useRef, useState } from "react";

/** Renders an Adaptive Card payload the way a Teams client would (read-only: actions do nothing). */
export function AdaptiveCardView({ content }: { content: unknown }) {
  const host = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    const container = host.current;
    if (!container) return;
    try {
      const card = new AdaptiveCard();
      card.parse(content as object);
      const rendered = card.render();
      container.replaceChildren(...(rendered ? [rendered] : []));
      setFailure(undefined);
    } catch (err) {
      container.replaceChildren();
      setFailure(err instanceof Error ? err.message : String(err));
    }
    return () => container.replaceChildren();
  }, [content]);

  return (
    <div data-testid="adaptive-card">
      <div ref={host} />
      {failure ? <Caption1>Could not render this card: {failure}</Caption1> : null}
    </div>
  );
}
