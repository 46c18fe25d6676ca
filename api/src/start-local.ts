/**
 * `npm start` and `npm run dev`: the app with the embedded world (APP_ENV=local) unless the
 * environment says otherwise. The App Service runs index.ts, which never defaults to local.
 */
process.env.APP_ENV ||= "local";
await import("./index.js");
