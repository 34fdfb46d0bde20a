/**
 * Counted by hand. Blocks and sentences (words):
 *   "Build faster" (2) · "We make simple tools." (4) · "You will love our API!" (5) ·
 *   "Guide: how to start" (4) · "Install the SDK." (3) · "Then call the API endpoint." (5) ·
 *   "Is it easy?" (3) · "Yes." (1)  → 27 words, 8 sentences, 106 letters.
 * Syllables: faster, simple, endpoint, easy have 2 each and install 2; the other 22 words 1 → 32.
 * Nav, footer, script, style and the code listing contribute nothing.
 */
export const FIXTURE_PAGE = `<!doctype html>
<html lang="en">
<head>
  <title>Acme Docs</title>
  <meta name="description" content="Guides for the Acme API.">
  <style>p { color: red; }</style>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
  <h1>Build faster</h1>
  <p>We make simple tools. You will love our API!</p>
  <h2>Guide: how to start</h2>
  <p>Install the SDK. Then call the <a href="/docs">API endpoint</a>. Is it easy? Yes.</p>
  <img src="diagram.png" alt="a diagram of the flow">
  <pre><code>npm install acme. Done.</code></pre>
  <script>var ignored = "many words here.";</script>
  <footer>Copyright Acme</footer>
</body>
</html>`;
