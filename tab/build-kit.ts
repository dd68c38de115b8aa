// What the tab's build and the dialog pages' build share: how a browser bundle is made and the
// page around it. Each page is one bundled script (the tab's also loads its own chunks beside it)
// with nothing loaded from elsewhere.
import type { BuildOptions } from "esbuild";

/** One minified script for current browsers, with its source map and licences beside it. */
export const BROWSER_BUNDLE = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  legalComments: "linked",
  logLevel: "warning",
} as const satisfies BuildOptions;

export interface HtmlPage {
  /** The page's Content-Security-Policy (frame-ancestors must come from the server's header). */
  csp: string;
  title: string;
  /** CSS lines, each ending in a newline. */
  style: string;
  /** The bundle, beside the page. */
  script: string;
  /** An ES module (a split build, whose chunks it imports); deferred as modules always are. */
  module?: boolean;
  /** The chunks the module imports statically, fetched alongside it rather than after it is parsed. */
  preload?: string[];
  /** The body's markup, ending in a newline. */
  body: string;
}

export const htmlPage = (page: HtmlPage) => `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${page.csp}">
<meta name="referrer" content="no-referrer">
<title>${page.title}</title>
<style>
${page.style}</style>
${(page.preload ?? []).map((chunk) => `<link rel="modulepreload" href="${chunk}">\n`).join("")}${page.module ? `<script type="module" src="${page.script}"></script>` : `<script src="${page.script}" defer></script>`}
</head>
<body>
${page.body}</body>
</html>
`;
