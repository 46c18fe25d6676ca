let canvas: HTMLCanvasElement | undefined;

/** The width of each text in the given CSS font, measured (so no column is narrower than its longest cell). */
export function measure(texts: Iterable<string>, font: string): number {
  canvas ??= document.createElement("canvas");
  // No canvas (a document with no layout): no measure; the columns then keep their least width.
  let ctx: CanvasRenderingContext2D | null;
  try {
    ctx = canvas.getContext("2d");
  } catch {
    ctx = null;
  }
  if (!ctx) return 0;
  ctx.font = font;
  let widest = 0;
  for (const text of texts) widest = Math.max(widest, ctx.measureText(text).width);
  return Math.ceil(widest);
}
