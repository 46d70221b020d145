// The view of an explorer (xentlib/widgets/_view.py): its title, its controls as native
// HTML, a readout that screen readers announce, and the figure as an <img> with a text
// alternative. Nothing here takes the keyboard focus except the controls themselves, so Tab
// and Shift+Tab pass through an explorer like through any form, and leave it.

let views = 0; // ids unique in the page, for <label for=…> and aria-labelledby

// The keys a control uses itself: kept from JupyterLab's notebook shortcuts (in command mode
// ↑/↓ select another cell, Enter edits it), everything else (Tab, Escape, Shift+Enter, …)
// goes on to the page as usual.
const OWN_KEYS = {
  range: ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"],
  radio: ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", " "],
  button: ["Enter", " "],
};

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// Bytes (a DataView or an ArrayBuffer, as the widget's binary buffer arrives) as base64.
function base64(data) {
  const bytes = data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 0x8000) {
    chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
  }
  return btoa(chunks.join(""));
}

function format(value, decimals) {
  return Number(value).toFixed(decimals);
}

function render({ model, el }) {
  const id = `xl-explorer-${++views}-${Math.random().toString(36).slice(2, 8)}`;
  const root = element("div", {
    className: "xl-explorer",
    role: "group",
    "aria-labelledby": `${id}-title`,
  });
  const title = element("div", { className: "xl-title", id: `${id}-title` });
  const controls = element("div", { className: "xl-controls" });
  const readout = element("div", {
    className: "xl-readout",
    role: "status",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const figure = element("img", { className: "xl-figure", alt: "" });
  root.append(title, controls, readout, figure);
  el.append(root);

  // ---- frames: pictures kept by the controls' values (Explorer.key in _explorer.py) ----
  // The kernel sends the frames the next key presses will want before they are pressed; a
  // press whose frame is here shows it at once, then tells the kernel as always.
  const FRAMES = 64;
  const frames = new Map(); // key → {src, readout, alt}, oldest first
  const specs = model.get("controls").filter((spec) => spec.kind !== "button");
  const current = { ...model.get("values") }; // what the controls show now
  let shownKey = null;
  let shownReadout = null;

  function keyOf(values) {
    return specs
      .map((spec) => spec.kind === "slider"
        ? Number(values[spec.name]).toFixed(spec.decimals + 2)
        : String(values[spec.name]))
      .join("|");
  }

  function keep(key, frame) {
    if (!key) return;
    frames.delete(key);
    frames.set(key, frame);
    while (frames.size > FRAMES) frames.delete(frames.keys().next().value);
  }

  function frameOf(png, text, alt) {
    return { src: `data:image/png;base64,${base64(png)}`, readout: text, alt };
  }

  function paint(key, frame) {
    if (figure.getAttribute("src") !== frame.src) figure.src = frame.src;
    if (shownReadout !== frame.readout) { // a live region: set only when it changes
      readout.innerHTML = frame.readout; // the course's own HTML (xentlib's describe)
      shownReadout = frame.readout;
    }
    figure.alt = frame.alt;
    shownKey = key;
  }

  // ---- controls --------------------------------------------------------------------
  const setters = {}; // name → function(value) showing a value that came from the kernel

  function send(name, value) {
    current[name] = value;
    const key = keyOf(current);
    const frame = frames.get(key);
    if (frame) paint(key, frame);
    model.set("values", { ...model.get("values"), [name]: value });
    model.save_changes();
  }

  function slider(spec) {
    const input = element("input", {
      type: "range",
      id: `${id}-${spec.name}`,
      min: spec.min,
      max: spec.max,
      step: spec.step,
    });
    input.style.width = `${spec.width}px`;
    const shown = element("span", { className: "xl-value", "aria-hidden": "true" });
    const show = (value) => {
      input.value = value;
      const text = format(value, spec.decimals);
      input.setAttribute("aria-valuetext", text);
      shown.textContent = text;
    };
    input.addEventListener("input", () => {
      show(input.value);
      send(spec.name, Number(input.value));
    });
    setters[spec.name] = show;
    input.addEventListener("focus", () => model.send({ type: "focus", name: spec.name }));
    const label = element("label", { for: input.id, text: spec.label });
    return element("div", { className: "xl-slider" }, [label, input, shown]);
  }

  function choice(spec) {
    const legend = element("legend", { text: spec.label });
    const group = element("fieldset", { className: "xl-choice" }, [legend]);
    const radios = spec.options.map((text, i) => {
      const radio = element("input", { type: "radio", name: `${id}-${spec.name}`, value: i });
      radio.addEventListener("change", () => radio.checked && send(spec.name, i));
      group.append(element("label", {}, [radio, element("span", { text })]));
      return radio;
    });
    setters[spec.name] = (i) => radios.forEach((radio, j) => (radio.checked = i === j));
    return group;
  }

  function button(spec) {
    const node = element("button", {
      type: "button",
      className: spec.primary ? "xl-button xl-primary" : "xl-button",
      text: spec.label,
    });
    if (spec.tooltip) node.title = spec.tooltip;
    node.addEventListener("click", () => model.send({ type: "press", name: spec.name }));
    return node;
  }

  const makers = { slider, choice, button };
  for (const spec of model.get("controls")) controls.append(makers[spec.kind](spec));
  controls.addEventListener("keydown", (event) => {
    const kind = event.target.type === "range" || event.target.type === "radio"
      ? event.target.type
      : event.target.tagName === "BUTTON" ? "button" : null;
    const plain = !(event.ctrlKey || event.metaKey || event.altKey);
    if (kind && plain && OWN_KEYS[kind].includes(event.key)) event.stopPropagation();
  });

  // ---- what the kernel sends: values, readout, figure ------------------------------
  function showValues() {
    for (const [name, value] of Object.entries(model.get("values"))) {
      if (setters[name]) setters[name](value);
      current[name] = value;
    }
  }

  // The current frame, as the kernel last set it (values, readout, alt, png and key come in
  // one message: one paint after all of them). The figure is a data: URL: a blob: URL took
  // twice as long to reach the screen (about 24 ms against 12 ms from src to paint,
  // measured in Chromium), as the browser fetches a blob through its network service.
  let booked = false;
  function fromKernel() {
    if (booked) return;
    booked = true;
    queueMicrotask(() => {
      booked = false;
      const png = model.get("png");
      if (!png || png.byteLength === 0) return;
      const key = model.get("key") || null;
      const frame = frameOf(png, model.get("readout"), model.get("alt"));
      keep(key, frame);
      const wanted = keyOf(current);
      if (shownKey === wanted && key !== wanted) return; // a newer picture is already shown
      paint(key, frame);
    });
  }

  // A frame drawn ahead: kept, and shown if the controls are already there.
  model.on("msg:custom", (message, buffers) => {
    if (message.type === "forget") frames.clear();
    if (message.type !== "frame" || !buffers || buffers.length === 0) return;
    const frame = frameOf(buffers[0], message.readout, message.alt);
    keep(message.key, frame);
    if (message.key === keyOf(current) && shownKey !== message.key) paint(message.key, frame);
  });

  function showSize() {
    title.textContent = model.get("title");
    figure.style.width = `${model.get("width")}px`;
  }

  // A click on the figure (the simplex explorer's triangle) goes to the kernel as a fraction
  // of the figure's width and height; every such action also has a control.
  figure.addEventListener("click", (event) => {
    const box = figure.getBoundingClientRect();
    model.send({
      type: "click",
      x: (event.clientX - box.left) / box.width,
      y: (event.clientY - box.top) / box.height,
    });
  });

  // Sharp on every screen: the kernel draws at the screen's pixel ratio (also after a zoom).
  function sendPixelRatio() {
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    if (ratio !== model.get("pixel_ratio")) {
      model.set("pixel_ratio", ratio);
      model.save_changes();
    }
  }
  window.addEventListener("resize", sendPixelRatio);

  model.on("change:values", showValues);
  for (const name of ["png", "readout", "alt", "key"]) model.on(`change:${name}`, fromKernel);
  model.on("change:title", showSize);
  model.on("change:width", showSize);
  showValues();
  showSize();
  fromKernel();
  sendPixelRatio();
  return () => window.removeEventListener("resize", sendPixelRatio);
}

export default { render };
