/**
 * The words of a problem for a person who reads French. Refusals are made in English with their
 * facts (amounts in micros and their currency); here the same facts become a French sentence.
 * A code with no French sentence keeps the English one.
 */
import { formatMoney } from "@cc/common";

export type Language = "en" | "fr";

/** The caller's language from Accept-Language: French when French comes first, else English. */
export function languageOf(acceptLanguage: string | undefined): Language {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("fr") ? "fr" : "en";
}

type Facts = Record<string, string | number>;
const money = (facts: Facts, key: string) => formatMoney(Number(facts[key]), String(facts.currency ?? "USD"), "fr-FR");

const FRENCH: Record<string, (facts: Facts) => string | undefined> = {
  below_minimum: (f) => `Le paiement minimum est de ${money(f, "minimumMicros")}`,
  above_maximum: (f) => `Un paiement ne peut pas dépasser ${money(f, "maximumMicros")}`,
  whole_cents: (f) => `Les paiements par carte se font en centimes entiers : ${money(f, "amountMicros")} n'en est pas un`,
  no_payment_method: () => "Ajoutez d'abord un moyen de paiement",
  billing_region_mismatch: (f) => `Les achats ne sont pas possibles : l'organisation est en ${f.region} mais son adresse de facturation est en ${f.billingCountry}`,
  // Card refusals carry their French sentence, made where the English one is (funding/card-words.ts).
  expired_card: (f) => (f.messageFr === undefined ? undefined : String(f.messageFr)),
  card_declined: (f) => (f.messageFr === undefined ? undefined : String(f.messageFr)),
  processing_error: (f) => (f.messageFr === undefined ? undefined : String(f.messageFr)),
  nothing_to_retry: () => "Il n'y a aucune recharge à relancer : aucune n'a échoué, une est en cours, ou le solde est revenu au seuil",
  daily_limit_below_amount: (f) => `La limite de recharge quotidienne (${money(f, "limitMicros")}) doit être au moins égale au montant de recharge (${money(f, "amountMicros")})`,
  invalid_limit: (f) => `Le nombre de recharges par jour doit être un nombre entier de 1 à ${f.maximum}`,
  invalid_cap: () => "Un plafond quotidien par utilisateur doit être supérieur à zéro, ou absent",
  forbidden: () => "Votre rôle ne permet pas cette action",
  missing_token: () => "Connectez-vous d'abord (en-tête Authorization: Bearer <jeton>)",
  not_found: () => "Introuvable",
  idempotency_key_reused: () => "Cette clé d'idempotence a déjà servi pour une autre requête",
  idempotency_key_in_use: () => "Une requête avec cette clé d'idempotence est encore en cours",
  contention: () => "Le compte est occupé ; réessayez",
  rate_limited: (f) => {
    const who = f.who === "organisation" ? "Votre organisation a envoyé trop de requêtes." : f.who === "user" ? "Vous avez envoyé trop de requêtes." : "Le service est occupé par d'autres requêtes ; rien n'a été fait.";
    return `${who} Réessayez dans ${f.retryAfterSeconds} seconde${Number(f.retryAfterSeconds) > 1 ? "s" : ""}.`;
  },
  body_too_large: () => "Le corps de la requête dépasse 5 Mio, le maximum que cette API lit (après décompression)",
  invalid_json: () => "Le corps de la requête n'est pas du JSON valide",
  corrupt_body: () => "Le corps de la requête n'a pas pu être décompressé : il n'est pas ce qu'annonce son Content-Encoding",
  unsupported_encoding: () => "Ce Content-Encoding n'est pas pris en charge : envoyez le corps tel quel, ou en gzip, deflate ou br",
  unsupported_charset: () => "Ce jeu de caractères n'est pas pris en charge : envoyez de l'UTF-8",
  unsupported_media_type: () => "Envoyez le corps en JSON, avec Content-Type: application/json",
  invalid_body: () => "Le corps de la requête est incomplet, ou ne fait pas la longueur annoncée par Content-Length",
  invalid_activity: () => "Ce n'est pas une activité Bot Framework que le bot peut traiter",
  internal_error: () => "Un incident est survenu de notre côté ; il a été journalisé et rien de ce que vous avez envoyé n'est en cause",
};

const TITLES: Record<Language, Record<number, string>> = {
  en: {
    400: "The request is not valid",
    401: "Sign-in is required",
    402: "The card was refused",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "The request is too large",
    415: "Unsupported media type",
    422: "The request was refused by a business rule",
    429: "Too many requests",
    500: "Something went wrong on our side",
    503: "Not available right now",
  },
  fr: {
    400: "La requête n'est pas valide",
    401: "Connexion requise",
    402: "La carte a été refusée",
    403: "Action non autorisée",
    404: "Introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "La requête est trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "La requête a été refusée par une règle de gestion",
    429: "Trop de requêtes",
    500: "Un incident est survenu de notre côté",
    503: "Indisponible pour le moment",
  },
};

export function titleFor(status: number, language: Language): string {
  return TITLES[language][status] ?? TITLES.en[status] ?? "Refused";
}

/** The detail in the caller's language: the French sentence for the code when there is one. */
export function detailFor(code: string, english: string, facts: Facts, language: Language): string {
  const french = language === "fr" ? FRENCH[code]?.(facts) : undefined;
  return french ? french.replace(/\s+/g, " ") : english;
}
