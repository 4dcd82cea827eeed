/**
 * Packed I420 (Y plane, then U, then V; chroma planes of ⌈w/2⌉ × ⌈h/2⌉), the layout the engine
 * takes in pushVideoFrame and gives in 'videoFrame' events.
 */

/** Bytes of one packed I420 frame. */
export function i420ByteLength(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

function scalePlane(
  source: Uint8Array,
  sourceOffset: number,
  sourceWidth: number,
  sourceHeight: number,
  target: Uint8Array,
  targetOffset: number,
  targetWidth: number,
  targetHeight: number,
): void {
  const sourceColumns = new Uint32Array(targetWidth);
  for (let x = 0; x < targetWidth; x++) {
    sourceColumns[x] = Math.min(
      sourceWidth - 1,
      Math.floor(((x + 0.5) * sourceWidth) / targetWidth),
    );
  }
  for (let y = 0; y < targetHeight; y++) {
    const sourceRow = Math.min(
      sourceHeight - 1,
      Math.floor(((y + 0.5) * sourceHeight) / targetHeight),
    );
    const rowStart = sourceOffset + sourceRow * sourceWidth;
    const outStart = targetOffset + y * targetWidth;
    for (let x = 0; x < targetWidth; x++) {
      target[outStart + x] = source[rowStart + (sourceColumns[x] ?? 0)] ?? 0;
    }
  }
}

/**
 * Resizes a packed I420 frame by nearest neighbour. Cheap enough for every frame of a call in
 * JavaScript; meant for the occasional resolution change of a received stream, not for quality.
 */
export function scaleI420(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
): Buffer {
  const target = Buffer.allocUnsafe(i420ByteLength(targetWidth, targetHeight));
  const sourceChroma = [Math.ceil(sourceWidth / 2), Math.ceil(sourceHeight / 2)] as const;
  const targetChroma = [Math.ceil(targetWidth / 2), Math.ceil(targetHeight / 2)] as const;
  const sourceLuma = sourceWidth * sourceHeight;
  const targetLuma = targetWidth * targetHeight;
  const sourceChromaBytes = sourceChroma[0] * sourceChroma[1];
  const targetChromaBytes = targetChroma[0] * targetChroma[1];
  scalePlane(source, 0, sourceWidth, sourceHeight, target, 0, targetWidth, targetHeight);
  for (let plane = 0; plane < 2; plane++) {
    scalePlane(
      source,
      sourceLuma + plane * sourceChromaBytes,
      sourceChroma[0],
      sourceChroma[1],
      target,
      targetLuma + plane * targetChromaBytes,
      targetChroma[0],
      targetChroma[1],
    );
  }
  return target;
}
