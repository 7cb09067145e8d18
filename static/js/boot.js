/**
 * The workspace's first requests, started as early as possible.
 *
 * This tiny module has no imports and is loaded `async` from the page's <head>, so it runs as
 * soon as it arrives, while the browser is still fetching the other modules. It starts the
 * requests for the article, the annotations and the answers (URLs from its own data
 * attributes) and leaves the pending responses on `globalThis.annotatorBoot`; workspace.js
 * reads them through Api.read(). Without it (or if it fails) workspace.js fetches them itself.
 */

const script = document.querySelector("script[data-article-url]");

function start(url) {
  if (!url) return undefined;
  const pending = fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
    cache: "no-store",
  });
  pending.catch(() => {}); // a network error is reported by whoever reads the response
  return pending;
}

if (script) {
  globalThis.annotatorBoot = {
    article: start(script.dataset.articleUrl),
    annotations: start(script.dataset.annotationsUrl),
    answers: start(script.dataset.answersUrl),
  };
}
