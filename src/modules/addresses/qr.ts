/**
 * QR door plates (二维码门牌). The QR code links to the citizen report page with the address filled
 * in: `${baseUrl}/report?address=<code>`.
 *  - plateSvg(): a printable plate, 120 × 80 mm: the address text, the registry code and the QR code
 *    (drawn as one SVG path from the QR matrix, so it prints sharp at any size);
 *  - platePng(): the QR code alone as PNG (for stickers on existing plates), via qrcode's toBuffer.
 */
import QRCode from 'qrcode';

export interface PlateAddress {
  code: string;
  text: string;
  district: string;
  road: string;
  number: string;
  building: string;
  unit: string;
}

export function reportLink(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/report?address=${encodeURIComponent(code)}`;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** SVG path of the dark modules of a QR code, one unit per module. */
function qrPath(url: string): { d: string; size: number } {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  let d = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < size && data[y * size + x + run]) run++;
      d += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return { d, size };
}

/** The printable door plate as SVG (width 120 mm, height 80 mm). */
export function plateSvg(a: PlateAddress, baseUrl: string): string {
  const link = reportLink(baseUrl, a.code);
  const { d, size } = qrPath(link);
  const qrBox = 52; // mm, including the quiet zone
  const quiet = 4; // modules
  const scale = qrBox / (size + 2 * quiet);
  const main = `${a.road}${a.number ? `${a.number}號` : ''}`;
  const sub = [a.building, a.unit].filter(Boolean).join(' ');
  const lines = [
    `<text x="8" y="18" font-size="7" fill="#fff">${escapeXml(a.district)}</text>`,
    `<text x="8" y="34" font-size="${main.length > 9 ? 7 : 10}" font-weight="bold" fill="#fff">${escapeXml(main)}</text>`,
    sub ? `<text x="8" y="46" font-size="6" fill="#fff">${escapeXml(sub)}</text>` : '',
    `<text x="8" y="60" font-size="4.2" fill="#dbe7ff">标准地址 ${escapeXml(a.code)}</text>`,
    `<text x="8" y="70" font-size="4.2" fill="#dbe7ff">扫码报警求助 · Scan to report</text>`,
  ].filter(Boolean);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="120mm" height="80mm" viewBox="0 0 120 80" font-family="'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif">`,
    `<title>${escapeXml(a.text)}</title>`,
    `<desc>${escapeXml(link)}</desc>`,
    `<rect x="0.5" y="0.5" width="119" height="79" rx="4" fill="#1d4e9e" stroke="#0d2f66" stroke-width="1"/>`,
    ...lines,
    `<rect x="62" y="14" width="${qrBox}" height="${qrBox}" rx="1.5" fill="#fff"/>`,
    `<g transform="translate(${62 + quiet * scale} ${14 + quiet * scale}) scale(${scale.toFixed(5)})"><path d="${d}" fill="#000" shape-rendering="crispEdges"/></g>`,
    `</svg>`,
  ].join('\n');
}

/** The QR code of the plate as PNG (about 8 px per module, with a quiet zone). */
export function platePng(code: string, baseUrl: string): Promise<Buffer> {
  return QRCode.toBuffer(reportLink(baseUrl, code), { type: 'png', errorCorrectionLevel: 'M', scale: 8, margin: 4 });
}
