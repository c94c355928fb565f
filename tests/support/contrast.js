// Every visible text whose contrast with the colours behind it (WCAG's ratio) is below
// 4.5:1, as "element “text” ratio:1"; evaluated in the page by tests/test_screenshots.py.
() => {
  // Everything a person can open is measured: folded forms, evidence, dig text.
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const parse = (text) => {
    const found = text.match(/rgba?\(([^)]+)\)/);
    if (!found) return null;
    const p = found[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) =>
    [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    // The colours behind the text, from the element up to the first opaque one.
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const fields = ["TEXTAREA", "SELECT"];
  const failing = [];
  for (const el of document.body.querySelectorAll("*")) {
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
      || (fields.includes(el.tagName) || (el.tagName === "INPUT" && el.type === "text")) && (el.value || "").trim();
    if (!text) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // .sr-only: heard, not seen
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    const back = background(el);
    const colour = parse(getComputedStyle(el).color);
    const fore = over([colour[0], colour[1], colour[2], colour[3] * opacity], back);
    const [a, b] = [luminance(fore), luminance(back)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) {
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
        ? "." + el.className.trim().split(/\s+/).join(".") : "");
      failing.push(`${name} “${el.textContent.trim().slice(0, 30)}” ${ratio.toFixed(2)}:1`);
    }
  }
  return failing;
}
