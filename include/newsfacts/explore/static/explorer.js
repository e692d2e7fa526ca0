// Facts explorer: open article links in a new tab from inside Airflow's iframe, draw charts.
"use strict";

// Airflow shows the explorer in an iframe sandboxed without allow-popups, so a plain
// target=_blank link is blocked. The frame is same-origin, so the link is made and clicked in
// the top window instead, which may open tabs.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.external");
  if (!link || window.top === window) return;
  let topDocument;
  try {
    topDocument = window.top.document;
  } catch (error) {
    return; // another origin: leave the browser's default
  }
  event.preventDefault();
  const opener = topDocument.createElement("a");
  opener.href = link.href;
  opener.target = "_blank";
  opener.rel = "noopener noreferrer";
  topDocument.body.appendChild(opener);
  opener.click();
  opener.remove();
});

// Points carry an href (Vega-Lite's href channel): a click opens it in this frame.
function newsfactsChart(elementId, specId) {
  const spec = JSON.parse(document.getElementById(specId).textContent);
  return vegaEmbed("#" + elementId, spec, { renderer: "svg", actions: false })
    .catch((error) => {
      document.getElementById(elementId).textContent = "The chart could not be drawn: " + error;
    });
}
