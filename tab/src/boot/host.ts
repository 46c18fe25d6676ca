/** teams-js loads only when the page may be inside a Teams host (a frame, a pop-up, or the manifest's hint). */
export const mayBeInTeams = () => window.parent !== window.self || Boolean(window.opener) || new URLSearchParams(window.location.search).get("inTeams") === "1";

/** The overview is the page a bare URL or `#overview` opens. */
export const opensOverview = () => /^#?\/?(overview)?$/.test(window.location.hash.split("?")[0]);
