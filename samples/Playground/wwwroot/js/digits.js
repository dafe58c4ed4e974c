// The Digits page's drawing pad: dark ink on white paper, drawn with a mouse, a pen or a finger (pointer events).
// While a stroke is drawn, and when it ends, the pad hands .NET the picture as grey levels — shrunk to a 112×112 square,
// 0 black, 255 white — which the trainer's own preparation (DigitImage.ToMnist) turns into MNIST's 28×28.
const Side = 112;
const Ink = 18; // the pen's width on a 280-pixel pad: about an MNIST stroke once shrunk to 20 pixels

export function attach(canvas, page) {
  const context = canvas.getContext("2d");
  clear(canvas);
  let drawing = false, last = null, pending = false, lastSent = 0;
  const at = e => {
    const box = canvas.getBoundingClientRect();
    return { x: (e.clientX - box.left) * canvas.width / box.width, y: (e.clientY - box.top) * canvas.height / box.height };
  };
  const send = () => {
    pending = false;
    lastSent = performance.now();
    page.invokeMethodAsync("Drawn", grey(canvas));
  };
  const line = (from, to) => {
    context.strokeStyle = "#000";
    context.lineWidth = Ink;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  };
  canvas.addEventListener("pointerdown", e => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    drawing = true;
    last = at(e);
    line(last, last);
  });
  canvas.addEventListener("pointermove", e => {
    if (!drawing) return;
    e.preventDefault();
    const point = at(e);
    line(last, point);
    last = point;
    // Predict as the reader draws, at most every 150 ms: the preparation and the network take a few tens of ms.
    if (!pending && performance.now() - lastSent > 150) {
      pending = true;
      setTimeout(send, 0);
    }
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    send();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.style.touchAction = "none"; // a finger draws instead of scrolling the page
}

export function clear(canvas) {
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

// Paints a 28×28 MNIST digit (0 paper, 255 ink) on the pad as dark ink on white, to draw over.
export function show(canvas, pixels) {
  const small = document.createElement("canvas");
  small.width = small.height = 28;
  const image = small.getContext("2d").createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = 255 - pixels[i];
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  small.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  clear(canvas);
  context.imageSmoothingEnabled = true;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function grey(canvas) {
  const small = document.createElement("canvas");
  small.width = small.height = Side;
  const context = small.getContext("2d");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(canvas, 0, 0, Side, Side);
  const rgba = context.getImageData(0, 0, Side, Side).data;
  const values = new Uint8Array(Side * Side);
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.round((rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2]) / 3);
  }
  return values;
}

// The Digits page's files (the model, the MNIST images), as bytes.
export async function fetchBytes(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
