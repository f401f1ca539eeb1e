// OAuth pages refuse to be framed: leave the Shopify admin's iframe for the install flow.
const link = document.getElementById('sw-install');
if (link) window.open(link.href, '_top');
