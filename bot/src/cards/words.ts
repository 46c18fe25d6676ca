/**
 * What a person reads on a card or in chat, in English and French. The API gives the numbers and
 * its own sentences (a card refusal, a spike's explanation); these words only frame them.
 */
import { dateTimeFormat, formatMoney, t } from "@cc/common";
import type { Locale } from "../types.js";

export function localeOf(tag: string | null | undefined): Locale {
  return (tag ?? "").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export const money = (micros: number, currency: string, locale: Locale) => formatMoney(micros, currency, locale === "fr" ? "fr-FR" : "en-US");

export function when(at: string, locale: Locale): string {
  return dateTimeFormat(locale === "fr" ? "fr-FR" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(at)) + " UTC";
}

const en = {
  appName: "Communications Credits",
  refresh: "Refresh",
  labels: {
    retry: "Retry now",
    updatePayment: "Update payment method",
    addFunds: "Add funds",
    amount: "Amount",
    amountError: "Enter an amount",
    continue: "Continue",
    turnOnAutoRecharge: "Turn on auto-recharge",
    restrictDomestic: "Restrict to domestic",
    blockDestination: "Block this destination",
    resume: "Resume auto-recharge",
  },
  stops: "At zero these stop: calls to toll-free numbers, conference dial-out, international calls and minutes beyond the calling plan.",
  title: {
    recharge_succeeded: "Auto-recharge succeeded",
    recharge_failed: "Auto-recharge failed",
    balance_low: "Communications Credits balance is low",
    balance_depleted: "Communications Credits balance is at zero",
    funds_added: "Funds added",
    recharge_paused: "Auto-recharge paused",
    card_expiring: "Payment card expiring soon",
    spend_spike: "Unusual calling spend",
    budget_threshold: t("en", "budgets.card.title"),
  },
  fact: { amount: "Amount", balance: "New balance", balanceNow: "Balance", card: "Card", by: "Added by", threshold: "Threshold", retry: "Next try", destination: "Destination", user: "User", spend: "Spend", usual: "Usual" },
  rechargeSucceeded: (amount: string, card: string) => `${amount} was charged to ${card} and added to the balance.`,
  rechargeFailed: (amount: string) => `The recharge of ${amount} was not made.`,
  balanceLow: (balance: string, threshold: string) => `The balance is ${balance}, below ${threshold}, and auto-recharge is off.`,
  depleted: "The balance is used up. Add funds to restore calling.",
  fundsAdded: (amount: string, by: string) => `${by} added ${amount}.`,
  outcome: {
    done: (who: string, what: string) => `${who} ${what}`,
    retried: "retried the recharge.",
    added: (amount: string) => `added ${amount}.`,
    restricted: "restricted calling to domestic numbers.",
    blocked: "blocked this destination.",
    resumed: "resumed auto-recharge.",
    refused: (who: string, why: string) => `${who} tried: ${why}`,
  },
  confirm: {
    title: "Add funds?",
    question: (amount: string, card: string) => `Charge ${amount} to ${card} and add it to the balance?`,
    confirm: (amount: string) => `Charge ${amount}`,
    done: (amount: string, balance: string) => `Done: ${amount} added. The balance is now ${balance}.`,
  },
  balance: {
    status: "Status",
    currency: "Currency",
    autoRecharge: "Auto-recharge",
    paymentMethod: "Payment method",
    statusLabel: { not_set_up: "Not set up", active: "Active", depleted: "Depleted: calls that need credits are stopped" } as Record<string, string>,
    autoRechargeOn: (amount: string, threshold: string) => `On: add ${amount} when the balance falls below ${threshold}`,
    off: "Off",
    none: "None",
    card: (card: string, expires: string) => `${card} (expires ${expires})`,
    rechargeStatus: { pending: "in progress", succeeded: "succeeded", failed: "failed", retry_scheduled: "failed, retry scheduled" } as Record<string, string>,
    failure: { card_declined: "card declined", expired_card: "expired card", processing_error: "processing error" } as Record<string, string>,
    lastRecharge: (amount: string, status: string, failure: string) => `Last recharge: ${amount}, ${status}${failure ? ` (${failure})` : ""}`,
    asOf: (at: string) => `As of ${at}`,
  },
  usage: { title: "Calling usage", period: (from: string, to: string) => `From ${from} to ${to}`, destinations: "Top destinations", callTypes: "Call types", spend: "Spend", calls: "Calls", minutes: "Minutes", empty: "No calls in this period." },
};

type Words = typeof en;

const fr: Words = {
  appName: "Crédits de communication",
  refresh: "Actualiser",
  labels: {
    retry: "Réessayer maintenant",
    updatePayment: "Changer de moyen de paiement",
    addFunds: "Ajouter des fonds",
    amount: "Montant",
    amountError: "Saisissez un montant",
    continue: "Continuer",
    turnOnAutoRecharge: "Activer la recharge automatique",
    restrictDomestic: "Limiter aux appels nationaux",
    blockDestination: "Bloquer cette destination",
    resume: "Reprendre la recharge automatique",
  },
  stops: "À zéro, ceci s'arrête : les appels vers les numéros gratuits, les appels sortants des conférences, les appels internationaux et les minutes au-delà du forfait.",
  title: {
    recharge_succeeded: "Recharge automatique réussie",
    recharge_failed: "La recharge automatique a échoué",
    balance_low: "Le solde des crédits de communication est bas",
    balance_depleted: "Le solde des crédits de communication est à zéro",
    funds_added: "Fonds ajoutés",
    recharge_paused: "Recharge automatique suspendue",
    card_expiring: "La carte de paiement expire bientôt",
    spend_spike: "Dépense d'appels inhabituelle",
    budget_threshold: t("fr", "budgets.card.title"),
  },
  fact: { amount: "Montant", balance: "Nouveau solde", balanceNow: "Solde", card: "Carte", by: "Ajouté par", threshold: "Seuil", retry: "Prochain essai", destination: "Destination", user: "Utilisateur", spend: "Dépense", usual: "Habituel" },
  rechargeSucceeded: (amount, card) => `${amount} ont été débités sur ${card} et ajoutés au solde.`,
  rechargeFailed: (amount) => `La recharge de ${amount} n'a pas été faite.`,
  balanceLow: (balance, threshold) => `Le solde est de ${balance}, sous ${threshold}, et la recharge automatique est désactivée.`,
  depleted: "Le solde est épuisé. Ajoutez des fonds pour rétablir les appels.",
  fundsAdded: (amount, by) => `${by} a ajouté ${amount}.`,
  outcome: {
    done: (who, what) => `${who} ${what}`,
    retried: "a relancé la recharge.",
    added: (amount) => `a ajouté ${amount}.`,
    restricted: "a limité les appels aux numéros nationaux.",
    blocked: "a bloqué cette destination.",
    resumed: "a repris la recharge automatique.",
    refused: (who, why) => `${who} a essayé : ${why}`,
  },
  confirm: {
    title: "Ajouter des fonds ?",
    question: (amount, card) => `Débiter ${amount} sur ${card} et l'ajouter au solde ?`,
    confirm: (amount) => `Débiter ${amount}`,
    done: (amount, balance) => `C'est fait : ${amount} ajoutés. Le solde est maintenant de ${balance}.`,
  },
  balance: {
    status: "État",
    currency: "Devise",
    autoRecharge: "Recharge automatique",
    paymentMethod: "Moyen de paiement",
    statusLabel: { not_set_up: "Non configuré", active: "Actif", depleted: "Épuisé : les appels qui consomment des crédits sont arrêtés" },
    autoRechargeOn: (amount, threshold) => `Activée : ajouter ${amount} quand le solde passe sous ${threshold}`,
    off: "Désactivée",
    none: "Aucun",
    card: (card, expires) => `${card} (expire ${expires})`,
    rechargeStatus: { pending: "en cours", succeeded: "réussie", failed: "échouée", retry_scheduled: "échouée, nouvel essai prévu" },
    failure: { card_declined: "carte refusée", expired_card: "carte expirée", processing_error: "erreur de traitement" },
    lastRecharge: (amount, status, failure) => `Dernière recharge : ${amount}, ${status}${failure ? ` (${failure})` : ""}`,
    asOf: (at) => `Au ${at}`,
  },
  usage: { title: "Consommation d'appels", period: (from, to) => `Du ${from} au ${to}`, destinations: "Principales destinations", callTypes: "Types d'appel", spend: "Dépense", calls: "Appels", minutes: "Minutes", empty: "Aucun appel sur cette période." },
};

export const WORDS: Record<Locale, Words> = { en, fr };
