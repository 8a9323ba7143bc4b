// Photos of documents: shrunk on the phone to about 1600 px JPEG before they are stored, a small
// thumbnail for the form, and the SHA-256 the upload is keyed by.

export const MAX_SIDE = 1600;
const THUMB_SIDE = 160;

export function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256(blob) {
  return hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

export function fitWithin(width, height, side) {
  const scale = Math.min(1, side / Math.max(width, height));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

function draw(bitmap, side, quality) {
  const [w, h] = fitWithin(bitmap.width, bitmap.height, side);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

export async function shrinkPhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const blob = await draw(bitmap, MAX_SIDE, 0.8);
    const thumb = await draw(bitmap, THUMB_SIDE, 0.6);
    return { sha256: await sha256(blob), blob, thumb, uploaded: false, size: blob.size };
  } finally {
    bitmap.close();
  }
}
