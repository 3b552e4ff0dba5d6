/**
 * A photo-like 12 MP JPEG for the photo-intake bench: a street scene drawn as SVG (sky and clouds, a row
 * of buildings with lit and dark windows and shop signs, trees, pavement, a road with lane marks, a red car
 * with a plate — what a 随手拍 report shows), slightly blurred like a lens, with a phone sensor's grain
 * (fine luminance noise plus a coarser texture) and written as a phone does: JPEG quality 90, EXIF with
 * camera and GPS (and, for one variant in three, orientation 6). About 3.5 MB at 4000×3000, the size of a real 12 MP phone photo; `variant` moves the car
 * and changes the city.
 */
import sharp from 'sharp';

const W = 4000;
const H = 3000;

function scene(variant: number): Buffer {
  let r = 1234 + variant * 77;
  const rnd = () => (r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5d8fc9"/><stop offset="1" stop-color="#dfe9f2"/></linearGradient>`,
    `<linearGradient id="road" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6b6b6b"/><stop offset="1" stop-color="#3a3a3c"/></linearGradient></defs>`,
    `<rect width="${W}" height="${H}" fill="url(#sky)"/>`,
  ];
  for (let i = 0; i < 25; i++) out.push(`<ellipse cx="${rnd() * W}" cy="${rnd() * 700}" rx="${150 + rnd() * 300}" ry="${40 + rnd() * 80}" fill="#fff" opacity="${0.3 + rnd() * 0.4}"/>`);
  for (let x = -50; x < W; ) {
    const bw = 250 + rnd() * 450;
    const bh = 700 + rnd() * 1100;
    const top = 1900 - bh;
    const c = Math.floor(120 + rnd() * 100);
    out.push(`<rect x="${x}" y="${top}" width="${bw}" height="${bh}" fill="rgb(${c},${c - 10 + Math.floor(rnd() * 20)},${c - 25})"/>`);
    for (let wy = top + 40; wy < 1850; wy += 70)
      for (let wx = x + 25; wx < x + bw - 50; wx += 60) {
        const lit = rnd();
        out.push(`<rect x="${wx.toFixed(0)}" y="${wy.toFixed(0)}" width="34" height="44" fill="${lit < 0.2 ? '#f3e3a0' : lit < 0.6 ? '#2c3e50' : '#7f9bb3'}"/>`);
      }
    out.push(`<text x="${x + 30}" y="${top + 30 + Math.min(bh - 60, 300)}" font-size="${60 + rnd() * 40}" font-family="sans-serif" fill="#c0392b">SHOP ${Math.floor(rnd() * 100)}</text>`);
    x += bw + 10 + rnd() * 40;
  }
  out.push(`<rect y="1900" width="${W}" height="${H - 1900}" fill="url(#road)"/>`, `<rect y="1900" width="${W}" height="120" fill="#a9a39a"/>`);
  for (let i = 0; i < 12; i++) out.push(`<polygon points="${i * 380},2500 ${i * 380 + 220},2500 ${i * 380 + 240},2540 ${i * 380 + 20},2540" fill="#eee"/>`);
  for (let i = 0; i < 14; i++) {
    const tx = rnd() * W;
    const ty = 1700 + rnd() * 150;
    out.push(`<rect x="${tx - 15}" y="${ty}" width="30" height="260" fill="#5a4330"/>`);
    for (let k = 0; k < 40; k++) out.push(`<circle cx="${tx + (rnd() - 0.5) * 300}" cy="${ty - rnd() * 280}" r="${30 + rnd() * 50}" fill="rgb(${40 + Math.floor(rnd() * 40)},${90 + Math.floor(rnd() * 70)},${40 + Math.floor(rnd() * 30)})"/>`);
  }
  const cx = 1300 + variant * 200;
  out.push(
    `<rect x="${cx}" y="2150" width="1200" height="420" rx="90" fill="#b03a2e"/><rect x="${cx + 180}" y="2000" width="800" height="260" rx="80" fill="#922b21"/>`,
    `<rect x="${cx + 230}" y="2040" width="330" height="180" fill="#34495e"/><rect x="${cx + 600}" y="2040" width="330" height="180" fill="#34495e"/>`,
    `<circle cx="${cx + 250}" cy="2570" r="120" fill="#111"/><circle cx="${cx + 950}" cy="2570" r="120" fill="#111"/>`,
    `<rect x="${cx + 440}" y="2420" width="320" height="90" fill="#1f4fa0"/><text x="${cx + 460}" y="2490" font-size="70" font-family="monospace" fill="#fff">C·1${variant}345</text>`,
  );
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${out.join('')}</svg>`);
}

/** The scene as a phone would have written it (about 3.5 MB). */
export async function photoLikeJpeg(variant: number): Promise<Buffer> {
  const base = await sharp(scene(variant)).blur(1.2).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let r = 99 + variant;
  const rnd = () => (r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const sigma = 6;
  const coarse = Buffer.alloc(1000 * 750);
  for (let i = 0; i < coarse.length; i++) coarse[i] = 128 + (rnd() + rnd() - 1) * sigma * 4;
  const texture = await sharp(coarse, { raw: { width: 1000, height: 750, channels: 1 } }).resize(W, H, { kernel: 'cubic' }).raw().toBuffer();
  const d = base.data;
  const ch = base.info.channels;
  for (let p = 0, i = 0; p < W * H; p++) {
    const n = (rnd() + rnd() - 1) * sigma * 2.4 + (texture[p]! - 128) * 0.6;
    for (let c = 0; c < ch; c++, i++) {
      const x = d[i]! + n;
      d[i] = x < 0 ? 0 : x > 255 ? 255 : x;
    }
  }
  const img = sharp(d, { raw: { width: W, height: H, channels: ch } });
  // One photo in three taken with the phone turned (EXIF orientation 6), as phones write them.
  if (variant % 3 === 2) img.withMetadata({ orientation: 6 });
  return img
    .withExif({ IFD0: { Make: 'Shouwang bench', Model: 'phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 11/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 32/1 40/1' } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
