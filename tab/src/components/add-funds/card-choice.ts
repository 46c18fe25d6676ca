/** Which saved cards the add-funds dialog offers, and which one it picks: values in, values out. */
import { isCardExpired, type AccountNextAction, type PaymentMethodView } from "@cc/common";

/** Why a saved card cannot be picked: expired, or refused (by the bank, as the API's next action says, or in this dialog). */
export type Unusable = "expired" | "cardFailed";

export interface CardChoice {
  /** The saved cards, the default first. */
  list: PaymentMethodView[];
  unusable(card: PaymentMethodView): Unusable | null;
  /** The chosen card, else the default when it can be charged, else the first that can. */
  chosen: PaymentMethodView | undefined;
}

export function chooseCard(input: {
  saved: PaymentMethodView[];
  defaultCard: PaymentMethodView | null;
  nextAction: AccountNextAction | null | undefined;
  refused: string[];
  chosenId: string | undefined;
  now: Date;
}): CardChoice {
  const { saved, defaultCard, nextAction, refused, chosenId, now } = input;
  const list = [...saved].sort((a, b) => Number(b.id === defaultCard?.id) - Number(a.id === defaultCard?.id));
  const unusable = (c: PaymentMethodView): Unusable | null =>
    isCardExpired(c, now) ? "expired" : refused.includes(c.id) || (c.id === defaultCard?.id && nextAction === "replace_card") ? "cardFailed" : null;
  const usable = list.filter((c) => !unusable(c));
  const chosen = usable.find((c) => c.id === chosenId) ?? usable.find((c) => c.id === defaultCard?.id) ?? usable[0];
  return { list, unusable, chosen };
}
